// Verification and sanggah in the dashboard (issue 11): the assessor workspace (queue with
// progress, a region's answers beside their evidence with decision controls, double-verification
// disagreements for admins, objections to resolve) and the operator view (decisions on my answers,
// filing an objection, my objections, rank notices). Everything from the API is written as text.

const MAX_ROWS = 200;
const DECISION_TEXT = { accept: 'Diterima', adjust: 'Disesuaikan', reject: 'Ditolak' };
const STATUS_TEXT = { open: 'Menunggu putusan', upheld: 'Dikabulkan', dismissed: 'Ditolak' };
const PHASE_TEXT = {
  VERIFICATION: 'verifikasi',
  PROVISIONAL: 'hasil sementara',
  SANGGAH: 'masa sanggah',
  RESOLUTION: 'penyelesaian sanggah',
  FINAL: 'final',
};

/** "level 3", "nilai 12.5", or "ditolak (0)". */
function answerText(ref) {
  if (ref.kind === 'item')
    return ref.status === 'rejected' ? 'inovasi ditolak saat unggah' : 'inovasi dilaporkan';
  if (ref.level !== undefined && ref.level !== null) return `level ${ref.level}`;
  if (ref.value !== undefined && ref.value !== null) return `nilai ${ref.value}`;
  return '–';
}

function decisionText(d) {
  if (!d) return 'Belum diputus';
  const what = DECISION_TEXT[d.decision] ?? d.decision;
  const to = d.level !== undefined ? ` → level ${d.level}` : d.value !== undefined ? ` → ${d.value}` : '';
  return `${what}${to}${d.reason ? ` (${d.reason})` : ''}`;
}

const answerLabel = (ref) =>
  ref.kind === 'indicator'
    ? `Indikator ${ref.indicator}`
    : ref.kind === 'item'
      ? `Inovasi "${ref.itemName ?? ref.itemId}" (seluruhnya)`
      : `Inovasi "${ref.itemName ?? ref.itemId}" · indikator ${ref.indicator}`;

export function createVerification(ctx) {
  const { api, el, $, showError, state } = ctx;
  const v = {
    stage: null,
    queue: [],
    region: null,
    answers: [],
    /** What the decision form decides on: { kode, ref } */
    target: null,
    objectionTarget: null,
  };
  const cycle = () => encodeURIComponent(state.cycleId);
  const reasons = () => ctx.config.reasons ?? [];
  const isAdmin = () => ctx.roles().includes('admin');
  const isAssessor = () => ctx.roles().includes('assessor');
  /** "18.01 Kabupaten Lampung Selatan" when the name is known (seen in the ranking), else the code. */
  const regionTitle = (kode) => [kode, ctx.regionName(kode)].filter(Boolean).join(' ');

  // --- assessor workspace ---------------------------------------------------------------------

  async function loadStage() {
    try {
      v.stage = await api(`/cycles/${cycle()}/verification`);
    } catch (error) {
      // No verification stage scheduled for this cycle (409/404): nothing to show.
      if (error.status === 404 || error.status === 409) v.stage = null;
      else throw error;
    }
    return v.stage;
  }

  function stageLine() {
    const phase = v.stage?.phase;
    return phase ? `Tahap: ${PHASE_TEXT[phase] ?? phase}` : 'Tahap verifikasi belum dibuka.';
  }

  async function showWorkspace() {
    $('workspace').hidden = false;
    $('stage-info').textContent = stageLine();
    const { items } = await api(`/cycles/${cycle()}/assignments`);
    v.queue = items;
    const rows = items.map((a) => {
      const progress = a.progress ? `${a.progress.decided} / ${a.progress.total}` : '–';
      const open = el(
        'button',
        { type: 'button', 'data-open-region': a.region },
        'Periksa',
        el('span', { className: 'visually-hidden' }, ` wilayah ${a.region}`),
      );
      open.addEventListener('click', () => openReview(a.region).catch(showError));
      const role =
        a.role === 'second' ? 'verifikasi kedua' : a.role === 'primary' ? 'penilai utama' : (a.primary ?? '');
      return el(
        'tr',
        { 'data-kode': a.region },
        el('td', {}, a.region),
        el('td', {}, ctx.regionName(a.region)),
        el('td', {}, role),
        el('td', { className: a.progress?.complete ? 'done' : undefined }, progress),
        el('td', {}, open),
      );
    });
    const body = $('queue-table').querySelector('tbody');
    body.replaceChildren(...rows);
    if (rows.length === 0)
      body.append(el('tr', {}, el('td', { colspan: 5 }, 'Belum ada wilayah yang ditugaskan.')));
    if (isAdmin()) await showDisagreements();
    await showObjectionQueue();
  }

  async function openReview(kode) {
    const out = await api(`/cycles/${cycle()}/regions/${encodeURIComponent(kode)}/answers`);
    v.region = kode;
    v.answers = out.answers;
    $('review-title').textContent = `Jawaban wilayah ${regionTitle(kode)}`;
    $('review-progress').textContent =
      `${out.progress.decided} dari ${out.progress.total} jawaban sudah diputus${out.progress.complete ? ' — verifikasi lengkap' : ''}.`;
    $('review').hidden = false;
    renderAnswers();
    $('review-title').scrollIntoView({ block: 'start' });
  }

  function renderAnswers() {
    const q = $('answer-search').value.trim().toLowerCase();
    const openOnly = $('answer-open-only').checked;
    const matching = v.answers.filter(
      (a) =>
        (!openOnly || !a.decision) &&
        (!q || a.key.toLowerCase().includes(q) || (a.itemName ?? '').toLowerCase().includes(q)),
    );
    const rows = matching.slice(0, MAX_ROWS).map((a) => {
      const evidence = a.evidence
        ? el(
            'button',
            { type: 'button', 'data-evidence': a.key },
            'Buka bukti',
            el('span', { className: 'visually-hidden' }, ` ${a.key}`),
          )
        : el('span', { className: 'sub' }, 'tanpa bukti');
      const evidenceCell = el(
        'td',
        {},
        evidence,
        a.evidence ? el('span', { className: 'sub file' }, ` ${a.evidence}`) : null,
      );
      if (a.evidence)
        evidence.addEventListener('click', () =>
          openEvidence(v.region, a.key, evidenceCell).catch(showError),
        );
      const decide = el(
        'button',
        { type: 'button', 'data-decide': a.key },
        'Putuskan',
        el('span', { className: 'visually-hidden' }, ` ${a.key}`),
      );
      decide.addEventListener('click', () => openDecisionForm(v.region, a, decide));
      return el(
        'tr',
        { 'data-answer': a.key, className: a.decision ? 'decided' : 'undecided' },
        el(
          'th',
          { scope: 'row' },
          el('code', {}, a.key),
          el('br'),
          el('span', { className: 'sub' }, answerLabel(a)),
        ),
        el('td', {}, answerText(a)),
        evidenceCell,
        el(
          'td',
          { className: 'decision-cell' },
          decisionText(a.decision),
          a.objection
            ? el(
                'span',
                { className: 'sub' },
                ` · sanggah: ${STATUS_TEXT[a.objection.status] ?? a.objection.status}`,
              )
            : null,
        ),
        el('td', {}, decide),
      );
    });
    $('answers-table')
      .querySelector('tbody')
      .replaceChildren(...rows);
    $('answers-more').textContent =
      matching.length > MAX_ROWS
        ? `Menampilkan ${MAX_ROWS} dari ${matching.length} jawaban; persempit dengan pencarian.`
        : `${matching.length} jawaban.`;
  }

  /**
   * A presigned GET through the API (the opening is recorded there): opened in a new tab, and left
   * beside the answer as a link while it is valid (a popup blocker may stop the new tab).
   */
  async function openEvidence(kode, answer, cell) {
    const link = await api(
      `/cycles/${cycle()}/regions/${encodeURIComponent(kode)}/evidence-links`,
      {},
      {
        method: 'POST',
        body: { answer },
      },
    );
    if (cell) {
      const a = el(
        'a',
        { href: link.url, target: '_blank', rel: 'noopener noreferrer', 'data-evidence-link': answer },
        `Buka ${link.fileName}`,
      );
      cell.replaceChildren(
        a,
        el('span', { className: 'sub' }, ` (berlaku ${Math.round(link.expiresInSeconds / 60)} menit)`),
      );
      a.focus();
    }
    window.open(link.url, '_blank', 'noopener,noreferrer');
    return link;
  }

  function fillReasons(ref) {
    const select = $('decision-reason');
    const first = el('option', { value: '' }, '— pilih alasan —');
    select.replaceChildren(
      first,
      ...reasons()
        .filter((r) => !(r.innovationOnly && ref.kind === 'indicator'))
        .map((r) => el('option', { value: r.code }, `${r.id} (${r.code})`)),
    );
  }

  function syncDecisionForm() {
    const kind = $('decision-form').elements.decision.value;
    const adjust = kind === 'adjust';
    $('decision-level').hidden = !adjust;
    $('decision-level-label').hidden = !adjust;
    $('decision-level').required = adjust;
    $('decision-reason').required = kind !== 'accept';
  }

  let returnFocus = null;
  function openDecisionForm(kode, ref, from, preset) {
    v.target = { kode, ref };
    returnFocus = from ?? null;
    const form = $('decision-form');
    form.reset();
    fillReasons(ref);
    $('decision-title').textContent = `Keputusan: ${kode} · ${ref.key}`;
    const current = preset ?? ref.decision;
    if (current) {
      form.elements.decision.value = current.decision;
      if (current.level !== undefined) $('decision-level').value = String(current.level);
      if (current.reason) $('decision-reason').value = current.reason;
      if (current.note) $('decision-note').value = current.note;
    }
    $('decision-status').textContent = '';
    syncDecisionForm();
    form.hidden = false;
    $('decision-title').focus();
  }

  async function submitDecision(event) {
    event.preventDefault();
    if (!v.target) return;
    const form = $('decision-form');
    const decision = form.elements.decision.value;
    const input = { answer: v.target.ref.key, decision };
    if (decision === 'adjust') {
      const level = Number($('decision-level').value);
      if (v.target.ref.level === undefined && v.target.ref.value !== undefined) input.value = level;
      else input.level = level;
    }
    const reason = $('decision-reason').value;
    if (reason && decision !== 'accept') input.reason = reason;
    const note = $('decision-note').value.trim();
    if (note) input.note = note;
    try {
      await api(
        `/cycles/${cycle()}/decisions`,
        {},
        { method: 'POST', body: { kode: v.target.kode, decisions: [input] } },
      );
    } catch (error) {
      $('decision-status').textContent = problemText(error);
      showError(error);
      return;
    }
    showError(null);
    const { kode, ref } = v.target;
    form.hidden = true;
    v.target = null;
    if (v.region === kode) await openReview(kode);
    if (isAdmin() && !$('disagreements').hidden) await showDisagreements();
    await refreshQueueProgress();
    $('decision-status').textContent = '';
    const back = document.querySelector(`[data-decide="${CSS.escape(ref.key)}"]`) ?? returnFocus;
    back?.focus();
    ctx.announce(`Keputusan untuk ${ref.key} disimpan.`);
  }

  async function refreshQueueProgress() {
    const { items } = await api(`/cycles/${cycle()}/assignments`);
    for (const a of items) {
      const row = $('queue-table').querySelector(`tr[data-kode="${CSS.escape(a.region)}"]`);
      const cell = row?.children[3];
      if (cell && a.progress) cell.textContent = `${a.progress.decided} / ${a.progress.total}`;
    }
  }

  async function showDisagreements() {
    let report;
    try {
      report = await api(`/cycles/${cycle()}/agreement`);
    } catch (error) {
      if (error.status === 404 || error.status === 409) return;
      throw error;
    }
    $('disagreements').hidden = false;
    const overall = report.overall;
    $('agreement-info').textContent =
      `${report.regions} wilayah diverifikasi ganda; ${overall.pairs} pasangan jawaban, ${overall.identical} identik` +
      (overall.kappa === null ? '.' : `; kappa berbobot ${overall.kappa.toFixed(2)}.`);
    const rows = report.disagreements.map((d) => {
      const button = el(
        'button',
        { type: 'button', 'data-adjudicate': `${d.region}|${d.answer}` },
        'Putuskan',
        el('span', { className: 'visually-hidden' }, ` ${d.region} ${d.answer}`),
      );
      button.addEventListener('click', async () => {
        try {
          const out = await api(`/cycles/${cycle()}/regions/${encodeURIComponent(d.region)}/answers`);
          const ref = out.answers.find((a) => a.key === d.answer);
          if (ref) openDecisionForm(d.region, ref, button, ref.decisions?.adjudicated ?? undefined);
        } catch (error) {
          showError(error);
        }
      });
      return el(
        'tr',
        {},
        el('td', {}, d.region),
        el('td', {}, d.answer),
        el('td', {}, decisionText(d.first.decision)),
        el('td', {}, decisionText(d.second.decision)),
        el('td', {}, button),
      );
    });
    const body = $('disagreements-table').querySelector('tbody');
    body.replaceChildren(...rows);
    if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 5 }, 'Tidak ada perbedaan.')));
  }

  async function showObjectionQueue() {
    if (!['SANGGAH', 'RESOLUTION'].includes(v.stage?.phase ?? '')) {
      $('objection-queue').hidden = true;
      return;
    }
    const { items } = await api(`/cycles/${cycle()}/objections`);
    const me = ctx.subject();
    const rows = items.map((o) => {
      const cells = [
        el('td', {}, o.region),
        el('td', {}, o.answer),
        el('td', {}, decisionText(o.contested)),
        el('td', {}, o.claim),
        el('td', {}, `${STATUS_TEXT[o.status] ?? o.status}${o.overdue ? ' (lewat batas)' : ''}`),
      ];
      const own = o.contested?.assessor === me;
      if (o.status !== 'open' || own) {
        cells.push(
          el('td', { className: 'sub' }, own ? 'keputusan Anda sendiri' : (o.resolution?.reason ?? '')),
        );
        return el('tr', {}, ...cells);
      }
      const id = `resolve-${o.region}-${o.answer}`.replace(/[^A-Za-z0-9-]/g, '-');
      const reason = el('input', {
        id,
        type: 'text',
        maxlength: 2000,
        'data-resolution-reason': `${o.region}|${o.answer}`,
      });
      const upheld = el('button', { type: 'button', 'data-uphold': `${o.region}|${o.answer}` }, 'Kabulkan');
      const dismissed = el('button', { type: 'button', 'data-dismiss': `${o.region}|${o.answer}` }, 'Tolak');
      const resolve = (outcome) => async () => {
        const text = reason.value.trim();
        if (!text) {
          ctx.announce('Tulis alasan putusan terlebih dahulu.');
          reason.focus();
          return;
        }
        try {
          await api(
            `/cycles/${cycle()}/regions/${encodeURIComponent(o.region)}/objections/resolutions`,
            {},
            {
              method: 'POST',
              body: { answer: o.answer, outcome, reason: text },
            },
          );
          showError(null);
          ctx.announce(`Sanggah ${o.region} ${o.answer} ${outcome === 'upheld' ? 'dikabulkan' : 'ditolak'}.`);
          await showObjectionQueue();
        } catch (error) {
          showError(error);
        }
      };
      upheld.addEventListener('click', resolve('upheld'));
      dismissed.addEventListener('click', resolve('dismissed'));
      cells.push(
        el(
          'td',
          { className: 'resolve' },
          el('label', { for: id }, 'Alasan putusan'),
          reason,
          upheld,
          dismissed,
        ),
      );
      return el('tr', { 'data-objection': `${o.region}|${o.answer}` }, ...cells);
    });
    const body = $('objection-queue-table').querySelector('tbody');
    body.replaceChildren(...rows);
    if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 6 }, 'Belum ada sanggah.')));
    $('objection-queue').hidden = false;
  }

  // --- operator view --------------------------------------------------------------------------

  function scoreCard(label, score) {
    return el(
      'div',
      { className: 'card' },
      el('span', { className: 'label' }, label),
      el('strong', {}, score?.display ?? '–'),
      el('span', { className: 'detail' }, score?.predikat ?? ''),
    );
  }

  function noticeList(notices) {
    return notices.map((n) =>
      el(
        'p',
        { className: 'rank-notice', role: 'note' },
        el('strong', {}, `Peringkat ${n.from ?? '–'} → ${n.to ?? '–'}: `),
        el('span', {}, n.message_id),
        el('small', { lang: 'en' }, n.message_en),
      ),
    );
  }

  async function showOperator(kode) {
    $('operator').hidden = false;
    $('operator-title').textContent = `Hasil verifikasi wilayah ${regionTitle(kode)}`;
    let result = null;
    try {
      result = await api(`/cycles/${cycle()}/regions/${encodeURIComponent(kode)}/verification`);
    } catch (error) {
      if (error.status !== 404 && error.status !== 409) throw error;
    }
    if (!result) {
      $('operator-info').textContent = `${stageLine()} Hasil verifikasi belum diumumkan untuk wilayah ini.`;
      $('operator-scores').replaceChildren();
      $('changes-table').querySelector('tbody').replaceChildren();
      $('operator-notices').replaceChildren();
    } else {
      const phase = v.stage?.phase;
      $('operator-info').textContent =
        `${stageLine()}${phase === 'SANGGAH' ? ' — sanggah dapat diajukan sampai penutupan masa sanggah.' : ''}`;
      $('operator-scores').replaceChildren(
        scoreCard('Nilai mandiri', result.scores.self),
        scoreCard('Nilai terverifikasi', result.scores.verified),
        ...(result.scores.final ? [scoreCard('Nilai akhir', result.scores.final)] : []),
      );
      $('operator-notices').replaceChildren(...noticeList(result.notices ?? []));
      await renderChanges(kode, result.changes ?? []);
    }
    await renderMyObjections(kode);
  }

  async function renderChanges(kode, changes) {
    const { items: objections } = await api(
      `/cycles/${cycle()}/regions/${encodeURIComponent(kode)}/objections`,
    );
    const filed = new Map(objections.map((o) => [o.answer, o]));
    const open = v.stage?.phase === 'SANGGAH';
    const rows = changes.map((c) => {
      const before =
        c.levelBefore !== undefined || c.levelAfter !== undefined
          ? `level ${c.levelBefore ?? '–'} → ${c.levelAfter ?? 0}`
          : c.valueBefore !== undefined
            ? `${c.valueBefore} → ${c.valueAfter ?? 0}`
            : 'dihitung → ditolak';
      let action;
      const o = filed.get(c.answer);
      if (o) action = el('span', {}, STATUS_TEXT[o.status] ?? o.status);
      else if (open) {
        action = el(
          'button',
          { type: 'button', 'data-object': c.answer },
          'Ajukan sanggah',
          el('span', { className: 'visually-hidden' }, ` ${c.answer}`),
        );
        action.addEventListener('click', () => openObjectionForm(kode, c.answer, action));
      } else action = el('span', { className: 'sub' }, '–');
      return el(
        'tr',
        { 'data-change': c.answer },
        el('th', { scope: 'row' }, el('code', {}, c.answer)),
        el('td', {}, DECISION_TEXT[c.decision] ?? c.decision),
        el('td', {}, before),
        el(
          'td',
          {},
          c.reasonText?.id ?? c.reason ?? '–',
          c.reasonText ? el('small', { lang: 'en' }, ` ${c.reasonText.en}`) : null,
        ),
        el('td', {}, c.note ?? ''),
        el('td', { className: 'num' }, `${c.pointsBefore} → ${c.pointsAfter}`),
        el('td', { className: 'num' }, c.effect),
        el('td', {}, action),
      );
    });
    const body = $('changes-table').querySelector('tbody');
    body.replaceChildren(...rows);
    if (rows.length === 0)
      body.append(el('tr', {}, el('td', { colspan: 8 }, 'Semua jawaban diterima apa adanya.')));
  }

  async function renderMyObjections(kode) {
    const { items } = await api(`/cycles/${cycle()}/regions/${encodeURIComponent(kode)}/objections`);
    const rows = items.map((o) =>
      el(
        'tr',
        { 'data-my-objection': o.answer },
        el('th', { scope: 'row' }, el('code', {}, o.answer)),
        el('td', {}, o.claim),
        el('td', {}, `${new Date(o.filedAt).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta' })} WIB`),
        el('td', {}, STATUS_TEXT[o.status] ?? o.status),
        el(
          'td',
          {},
          o.resolution?.reason ??
            `menunggu, paling lambat ${new Date(o.respondBy).toLocaleDateString('id-ID', { timeZone: 'Asia/Jakarta' })}`,
        ),
      ),
    );
    const body = $('my-objections-table').querySelector('tbody');
    body.replaceChildren(...rows);
    if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 5 }, 'Belum ada sanggah.')));
  }

  function openObjectionForm(kode, answer, from) {
    v.objectionTarget = { kode, answer, from };
    const form = $('objection-form');
    form.reset();
    $('objection-title').textContent = `Ajukan sanggah: ${answer}`;
    $('objection-status').textContent = '';
    form.hidden = false;
    $('objection-title').focus();
  }

  /**
   * New evidence: a presigned POST of upload kind `objection` (issue 11), then the object key goes
   * with the objection. The file goes straight to the upload bucket, never through the API.
   */
  async function uploadObjectionEvidence(kode, file) {
    const grant = await api(
      `/cycles/${cycle()}/regions/${encodeURIComponent(kode)}/uploads`,
      {},
      {
        method: 'POST',
        body: {
          fileName: file.name,
          contentType: file.type || 'application/octet-stream',
          size: file.size,
          kind: 'objection',
        },
      },
    );
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields ?? {})) form.append(name, value);
    form.append('file', file);
    const res = await fetch(grant.url, { method: 'POST', body: form });
    if (!res.ok) throw new Error(`unggah bukti gagal (HTTP ${res.status})`);
    return grant.key;
  }

  async function submitObjection(event) {
    event.preventDefault();
    const target = v.objectionTarget;
    if (!target) return;
    const claim = $('objection-claim').value.trim();
    if (!claim) {
      $('objection-status').textContent = 'Tulis klaim sanggah. / Write the claim.';
      $('objection-claim').focus();
      return;
    }
    try {
      const file = $('objection-file').files?.[0];
      const evidence = file ? [await uploadObjectionEvidence(target.kode, file)] : [];
      await api(
        `/cycles/${cycle()}/regions/${encodeURIComponent(target.kode)}/objections`,
        {},
        {
          method: 'POST',
          body: { answer: target.answer, claim, evidence },
        },
      );
    } catch (error) {
      $('objection-status').textContent = problemText(error);
      showError(error);
      return;
    }
    showError(null);
    $('objection-form').hidden = true;
    v.objectionTarget = null;
    await showOperator(target.kode);
    ctx.announce(`Sanggah untuk ${target.answer} diajukan.`);
    $('my-objections-title').focus?.();
  }

  function problemText(error) {
    const p = error?.problem;
    const first = p?.problems?.[0];
    return [p?.detail_id, first?.message_id].filter(Boolean).join(' — ') || String(error?.message ?? error);
  }

  // --- region detail: scores and rank notices -------------------------------------------------

  async function showInProfile(kode) {
    $('profile-verification').hidden = true;
    let result;
    try {
      result = await api(`/cycles/${cycle()}/regions/${encodeURIComponent(kode)}/verification`);
    } catch {
      return;
    }
    if (state.region !== kode) return;
    const s = result.scores ?? {};
    $('profile-scores').textContent = [
      s.self ? `mandiri ${s.self.display}` : '',
      s.verified ? `terverifikasi ${s.verified.display}` : '',
      s.final ? `akhir ${s.final.display}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    $('profile-notices').replaceChildren(...noticeList(result.notices ?? []).map((p) => el('li', {}, p)));
    $('profile-verification').hidden = false;
  }

  // --- wiring ---------------------------------------------------------------------------------

  function bind() {
    $('answer-search').addEventListener('input', renderAnswers);
    $('answer-open-only').addEventListener('change', renderAnswers);
    $('decision-form').addEventListener('change', syncDecisionForm);
    $('decision-form').addEventListener('submit', (event) => submitDecision(event).catch(showError));
    $('decision-cancel').addEventListener('click', () => {
      $('decision-form').hidden = true;
      returnFocus?.focus();
    });
    $('objection-form').addEventListener('submit', (event) => submitObjection(event).catch(showError));
    $('objection-cancel').addEventListener('click', () => {
      $('objection-form').hidden = true;
      v.objectionTarget?.from?.focus();
    });
    for (const id of ['decision-form', 'objection-form'])
      $(id).addEventListener('keydown', (event) => {
        if (event.key === 'Escape') $(`${id === 'decision-form' ? 'decision' : 'objection'}-cancel`).click();
      });
  }

  /** After a cycle loads: the views this person's roles have. */
  async function show() {
    $('workspace').hidden = true;
    $('operator').hidden = true;
    $('review').hidden = true;
    $('decision-form').hidden = true;
    $('objection-form').hidden = true;
    $('disagreements').hidden = true;
    await loadStage();
    if (!v.stage) return;
    if (isAssessor() || isAdmin()) await showWorkspace();
    if (state.ownRegion) await showOperator(state.ownRegion);
  }

  return { bind, show, showInProfile, openEvidence };
}
