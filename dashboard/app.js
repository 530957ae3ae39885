// Indeks dashboard: rankings, region profiles and the predikat distribution over the results API;
// the verification workspace and the operator's objections (verification.js). People sign in
// through OIDC (signin.js). No framework, no build step. Every text from the API is written with
// textContent (never HTML).

import { setupSignIn } from './signin.js';
import { createVerification } from './verification.js';

const PAGE_SIZE = 25;
const NOT_ASSESSABLE_COLOR = '#9e9e9e';

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element;
};

/** Creates an element with attributes and children (strings become text nodes). */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

// Index values are shown like the published ones (`84.19`): a point, two decimals.
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 });
/** Long cluster names ("Daerah Tertinggal (sebagian daftar …)") would squeeze the chart. */
const shorten = (text, max = 28) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
const formatNumber = (value) => (typeof value === 'number' ? numberFormat.format(value) : '–');

// --- state --------------------------------------------------------------------------------------

const state = {
  apiBase: '',
  token: '',
  cycleId: '',
  summary: null,
  /** Cursors of the pages before the current one (the first page has none). */
  cursors: [],
  cursor: null,
  nextCursor: null,
  region: null,
  /** Set for an operator: the only region whose profile it may open. */
  ownRegion: undefined,
  charts: {},
  searchTimer: undefined,
  /** Region names seen in the ranking (kode → nama), for the verification views. */
  names: new Map(),
  config: { reasons: [] },
  session: null,
};

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Bahasa Indonesia first, English second, from a problem document. */
function describeError(error) {
  if (error instanceof ApiError) {
    const id = error.problem?.detail_id;
    const en = error.problem?.detail;
    if (error.status === 401)
      return [
        'Anda belum masuk atau sesi sudah berakhir; pilih "Masuk".',
        en ?? 'Not signed in, or the session has ended; choose "Sign in".',
      ];
    return [id ?? `Permintaan gagal (HTTP ${error.status}).`, en ?? `Request failed (HTTP ${error.status}).`];
  }
  return ['Tidak dapat menghubungi server; periksa koneksi lalu coba lagi.', String(error?.message ?? error)];
}

function showError(error) {
  const box = $('error');
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    return;
  }
  const [id, en] = describeError(error);
  box.append(el('span', {}, id), el('small', { lang: 'en' }, en));
  box.hidden = false;
  // The session ended while the page was open: offer to sign in again.
  if (error instanceof ApiError && error.status === 401 && state.session?.available)
    $('sign-in').hidden = false;
}

async function api(path, params = {}, options = {}) {
  const url = new URL(`${state.apiBase}${path}`, window.location.href);
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  const headers = state.token ? { authorization: `Bearer ${state.token}` } : {};
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: options.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (!response.ok) {
    let problem;
    try {
      problem = await response.json();
    } catch {
      problem = undefined;
    }
    throw new ApiError(response.status, problem);
  }
  return options.blob ? response.blob() : response.json();
}

// --- who is signed in ---------------------------------------------------------------------------

function claimsOf(token) {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function rolesOf(claims) {
  const groups = claims?.['cognito:groups'];
  return Array.isArray(groups)
    ? groups
    : String(groups ?? '')
        .split(/[\s,]+/)
        .filter(Boolean);
}

function showWho() {
  const claims = state.token ? claimsOf(state.token) : undefined;
  const groups = claims?.['cognito:groups'];
  const roles = Array.isArray(groups) ? groups.join(', ') : (groups ?? '');
  const region = claims?.['custom:region'];
  // An operator opens only its own region's profile (the API answers 404 for the others).
  const list = Array.isArray(groups) ? groups : String(groups ?? '').split(/[\s,]+/);
  const ministry = list.some((g) => ['assessor', 'leadership', 'admin'].includes(g));
  state.ownRegion = !ministry && list.includes('operator') ? (region ?? '') : undefined;
  const province = claims?.['custom:province'];
  $('who').textContent = claims
    ? `Masuk sebagai ${roles || 'tanpa peran'}${region ? ` (wilayah ${region})` : ''}${province ? ` (provinsi ${province})` : ''}`
    : 'Belum masuk';
  $('sign-in').hidden = Boolean(claims) || !state.session?.available;
  $('sign-out').hidden = !claims;
}

/** A polite live region for what just happened (saved, filed, resolved). */
function announce(text) {
  const box = $('announce');
  box.textContent = '';
  setTimeout(() => {
    box.textContent = text;
  }, 50);
}

const verification = createVerification({
  api,
  el,
  $,
  showError,
  state,
  announce,
  get config() {
    return state.config;
  },
  roles: () => rolesOf(state.token ? claimsOf(state.token) : undefined),
  subject: () => (state.token ? claimsOf(state.token)?.sub : undefined),
  regionName: (kode) => state.names.get(kode) ?? '',
});

// --- charts -------------------------------------------------------------------------------------

function chart(id, config) {
  state.charts[id]?.destroy();
  if (typeof window.Chart !== 'function') return;
  state.charts[id] = new window.Chart($(id), {
    ...config,
    options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options },
  });
}

/** Band colours from low (red) to high (green); "not assessable" grey. */
function predikatColors(summary) {
  const bands = summary.predikat?.bands ?? [];
  const colors = new Map();
  bands.forEach((band, i) => {
    const t = bands.length > 1 ? i / (bands.length - 1) : 1;
    const hue = Math.round(5 + t * 125);
    colors.set(band.label, `hsl(${hue} 60% 45%)`);
  });
  if (summary.predikat) colors.set(summary.predikat.notAssessable.label, NOT_ASSESSABLE_COLOR);
  return colors;
}

function drawDistribution(summary) {
  const clusters = summary.clusters.filter((c) => c.members > 0);
  const colors = predikatColors(summary);
  const labels = [...new Set(clusters.flatMap((c) => c.distribution.map((d) => d.predikat)))];
  chart('chart-distribution', {
    type: 'bar',
    data: {
      labels: clusters.map((c) => shorten(c.name?.id ?? c.id)),
      datasets: labels.map((label) => ({
        label,
        data: clusters.map((c) => c.distribution.find((d) => d.predikat === label)?.count ?? 0),
        backgroundColor: colors.get(label) ?? '#607d8b',
      })),
    },
    options: {
      indexAxis: 'y',
      scales: { x: { stacked: true, title: { display: true, text: 'Jumlah daerah' } }, y: { stacked: true } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

// --- summary ------------------------------------------------------------------------------------

function runInfo(run) {
  const status = run.published
    ? 'FINAL, diterbitkan'
    : run.status === 'FINAL'
      ? 'FINAL, belum diterbitkan'
      : 'SEMENTARA';
  $('run-info').textContent = `Penilaian ${run.runId} · ${status} · metodologi ${run.methodology.id}`;
  const notice = $('notice');
  notice.replaceChildren();
  if (run.notice) {
    notice.append(el('span', {}, run.notice.id), el('small', { lang: 'en' }, run.notice.en));
    notice.hidden = false;
  } else notice.hidden = true;
}

function fillSelect(select, options, keep) {
  const previous = keep ? select.value : '';
  const first = select.querySelector('option[value=""]');
  select.replaceChildren(...(first ? [first] : []));
  for (const [value, label] of options) select.append(el('option', { value }, label));
  if (previous && options.some(([value]) => value === previous)) select.value = previous;
}

function showSummary(summary) {
  state.summary = summary;
  runInfo(summary.run);
  const p = summary.participation;
  $('stat-participation').textContent = percentFormat.format(p.rate);
  $('stat-participation-detail').textContent =
    `${p.accepted} dari ${p.expected} daerah diterima; ${p.uploaded} mengunggah`;
  $('stat-never').textContent = String(p.notSubmitted);
  const stats = summary.national.statistics;
  $('stat-mean').textContent = formatNumber(stats?.mean);
  $('stat-range').textContent = stats
    ? `terendah ${formatNumber(stats.min)} · tertinggi ${formatNumber(stats.max)}`
    : '';
  $('stat-median').textContent = formatNumber(stats?.median);
  $('stat-count').textContent = stats ? `${stats.count} daerah dinilai` : '';
  $('summary').hidden = false;
  drawDistribution(summary);

  const hadCluster = $('cluster').value;
  const clusters = summary.clusters.filter((c) => c.members > 0);
  fillSelect(
    $('cluster'),
    clusters.map((c) => [c.id, c.name?.id ?? c.id]),
    true,
  );
  // Kabupaten is the largest peer group and the usual first view.
  if (!hadCluster && clusters.some((c) => c.id === 'kabupaten')) $('cluster').value = 'kabupaten';
  fillSelect(
    $('province'),
    p.byProvince.map((x) => [x.kode, `${x.kode} ${x.nama}`]),
    true,
  );
  const labels = summary.predikat
    ? [...summary.predikat.bands.map((b) => b.label), summary.predikat.notAssessable.label]
    : [];
  fillSelect(
    $('predikat'),
    labels.map((l) => [l, l]),
    true,
  );
}

// --- ranking ------------------------------------------------------------------------------------

function filters() {
  return {
    cluster: $('cluster').value || 'kabupaten',
    province: $('province').value,
    predikat: $('predikat').value,
    q: $('search').value.trim(),
  };
}

function changeCell(item) {
  if (item.rankChange === null || item.rankChange === undefined) return el('td', { className: 'num' }, '–');
  if (item.rankChange > 0)
    return el('td', { className: 'num up', title: `naik ${item.rankChange}` }, `▲ ${item.rankChange}`);
  if (item.rankChange < 0)
    return el('td', { className: 'num down', title: `turun ${-item.rankChange}` }, `▼ ${-item.rankChange}`);
  return el('td', { className: 'num' }, '=');
}

/** The P5–P95 rank interval as a bar on the cluster's scale, the median as a dot (issue 12 §3). */
function intervalCell(item, ranked) {
  const it = item.interval;
  if (!it) return el('td', { className: 'interval' }, '–');
  const span = Math.max(1, ranked - 1);
  const left = ((it.p5 - 1) / span) * 100;
  const width = Math.max(((it.p95 - it.p5) / span) * 100, 1.5);
  const bar = el('span', { className: 'interval-bar' });
  bar.style.left = `${left}%`;
  bar.style.width = `${Math.min(width, 100 - left)}%`;
  const dot = el('span', { className: 'interval-dot' });
  dot.style.left = `${((it.median - 1) / span) * 100}%`;
  const text = it.p5 === it.p95 ? String(it.p5) : `${it.p5}–${it.p95}`;
  return el(
    'td',
    {
      className: 'interval',
      title: `Rentang peringkat P5–P95 ${it.p5}–${it.p95}, median ${it.median}; setara statistik dengan ${it.tiedWith} daerah. / Rank interval ${it.p5}–${it.p95}, median ${it.median}; statistically tied with ${it.tiedWith} regions.`,
    },
    el('span', { className: 'interval-track', 'aria-hidden': 'true' }, bar, dot),
    el('span', { className: 'interval-text' }, text),
  );
}

function predikatBadge(label) {
  if (!label) return '–';
  const color = state.summary ? predikatColors(state.summary).get(label) : undefined;
  const badge = el('span', { className: 'badge' }, label);
  badge.style.background = color ?? '#607d8b';
  return badge;
}

async function loadRanking(cursor = null) {
  if (!state.cycleId) return;
  const f = filters();
  const page = await api(`/cycles/${encodeURIComponent(state.cycleId)}/rankings`, {
    ...f,
    limit: String(PAGE_SIZE),
    cursor: cursor ?? '',
  });
  state.cursor = cursor;
  state.nextCursor = page.nextCursor;
  // The interval's scale: the ranked regions of the cluster (the worst P95 is at most that).
  const ranked = Math.max(page.total, ...page.items.map((i) => i.interval?.p95 ?? 1));
  for (const item of page.items) state.names.set(item.kode, item.nama);
  const rows = page.items.map((item) => {
    const row = el(
      'tr',
      { tabindex: 0, 'data-kode': item.kode, className: item.rank === null ? 'unranked' : undefined },
      el('td', {}, item.rank === null ? '–' : String(item.rank)),
      intervalCell(item, ranked),
      el('td', {}, item.kode),
      el('td', {}, item.nama),
      el('td', {}, item.provinsiNama ?? item.provinsi),
      el('td', { className: 'num' }, item.display ?? '–'),
      el('td', {}, predikatBadge(item.predikat)),
      changeCell(item),
    );
    if (item.rank === null && item.reason) row.title = item.reason;
    if (state.ownRegion !== undefined && item.kode !== state.ownRegion) {
      row.classList.add('locked');
      row.title = 'Operator hanya dapat membuka profil wilayahnya sendiri.';
      return row;
    }
    const open = () => openRegion(item.kode).catch(showError);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') open();
    });
    return row;
  });
  const body = $('ranking-table').querySelector('tbody');
  body.replaceChildren(...rows);
  if (rows.length === 0)
    body.append(el('tr', {}, el('td', { colspan: 8 }, 'Tidak ada daerah yang cocok dengan filter.')));
  const start = state.cursors.length * PAGE_SIZE;
  $('page-info').textContent =
    page.total === 0 ? '0 daerah' : `${start + 1}–${start + page.items.length} dari ${page.total} daerah`;
  $('prev').disabled = state.cursors.length === 0;
  $('next').disabled = !page.nextCursor;
  $('ranking').hidden = false;
}

function restartRanking() {
  state.cursors = [];
  loadRanking().catch(showError);
}

async function download(format) {
  const f = filters();
  const blob = await api(
    `/cycles/${encodeURIComponent(state.cycleId)}/rankings`,
    { ...f, format },
    { blob: true },
  );
  const link = el('a', {
    href: URL.createObjectURL(blob),
    download: `peringkat-${state.cycleId}-${f.cluster}${f.province ? `-${f.province}` : ''}.${format}`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// --- region profile -----------------------------------------------------------------------------

function fact(term, value) {
  return [el('dt', {}, term), el('dd', {}, value ?? '–')];
}

async function openRegion(kode) {
  const detail = await api(
    `/cycles/${encodeURIComponent(state.cycleId)}/regions/${encodeURIComponent(kode)}`,
  );
  state.region = kode;
  const { region, result } = detail;
  $('profile-name').textContent = region.nama;
  $('profile-sub').textContent =
    `${region.kode} · ${region.jenis ?? ''}${region.provinsiNama && region.jenis !== 'provinsi' ? ` · Provinsi ${region.provinsiNama}` : ''}`;
  $('profile-value').textContent = result.display ?? '–';
  $('profile-predikat').textContent = result.predikat ?? '';
  const cluster = filters().cluster;
  const rank = result.ranks.find((r) => r.cluster === cluster) ?? result.ranks[0];
  $('profile-rank').textContent = rank?.rank ? String(rank.rank) : 'tidak diperingkat';
  $('profile-cluster').textContent = rank ? `klaster ${rank.name?.id ?? rank.cluster}` : '';
  const interval = rank?.interval;
  $('profile-interval').textContent = interval
    ? `rentang P5–P95 ${interval.p5}–${interval.p95}, median ${interval.median}; setara statistik dengan ${interval.tiedWith} daerah`
    : '';
  $('profile-eligible').textContent = result.eligible ? 'Memenuhi syarat' : 'Tidak memenuhi syarat';
  const reasons = [
    ...detail.eligibility.reasons.map((r) => r.message_id),
    ...result.reasons.map((r) => r.id),
  ];
  $('profile-reasons').textContent = [...new Set(reasons)].join('; ');
  $('profile-facts').replaceChildren(
    ...fact('Siklus', `${detail.cycle.name} (${detail.cycle.cycleId})`),
    ...fact('Penilaian', `${detail.run.runId} (${detail.run.status})`),
    ...fact(
      'Metodologi',
      `${detail.methodology.id}${detail.methodology.version ? ` versi ${detail.methodology.version}` : ''}`,
    ),
    ...fact('Hash metodologi', detail.methodology.hash),
    ...fact(
      'Kepala buku besar',
      detail.run.ledgerHead
        ? `#${detail.run.ledgerHead.seq} ${detail.run.ledgerHead.hash}`
        : 'tidak tercatat',
    ),
    ...fact('Pengajuan', detail.submission?.submissionId ?? 'tidak ada pengajuan'),
    // A paper survey is marked as such (issue 14), with the scan that is its evidence.
    ...(detail.survey
      ? fact(
          'Survei',
          `${detail.survey.label.id} / ${detail.survey.label.en}${detail.survey.scan ? ` (pindaian/scan: ${detail.survey.scan})` : ''}`,
        )
      : []),
    ...fact(
      'Jejak perhitungan',
      detail.trace.available ? `tersedia (${detail.trace.key})` : 'tidak tersedia',
    ),
  );
  $('profile').hidden = false;
  showAdvice(kode).catch(showError);
  verification.showInProfile(kode).catch(showError);

  const components = detail.components;
  chart('chart-components', {
    type: 'bar',
    data: {
      labels: components.map((c) => (c.depth > 1 ? `  › ${c.name.id}` : c.name.id)),
      datasets: [
        {
          label: 'Capaian (% dari maksimum)',
          data: components.map((c) => (c.percent === null ? 0 : Math.round(c.percent * 100) / 100)),
          backgroundColor: components.map((c) => (c.depth > 1 ? '#7aa7d9' : '#0b5cad')),
        },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { min: 0, max: 100, title: { display: true, text: '% dari nilai maksimum' } } },
      plugins: { legend: { display: false } },
    },
  });

  const index = detail.cycle.index;
  const history = await api(`/regions/${encodeURIComponent(kode)}/history`, { index: index.toLowerCase() });
  const items = history.items.filter((i) => i.score !== null);
  chart('chart-history', {
    type: 'line',
    data: {
      labels: items.map((i) => String(i.period)),
      datasets: [
        {
          label: `Nilai ${index}`,
          data: items.map((i) => i.score),
          borderColor: '#0b5cad',
          backgroundColor: '#0b5cad',
          pointRadius: items.map((i) => (i.published ? 4 : 6)),
          pointStyle: items.map((i) => (i.published ? 'circle' : 'triangle')),
        },
      ],
    },
    options: {
      scales: { y: { min: 0, max: 100, title: { display: true, text: 'Nilai indeks' } } },
      plugins: {
        tooltip: {
          callbacks: {
            afterLabel: (context) => {
              const item = items[context.dataIndex];
              return item ? `${item.predikat ?? ''}${item.published ? '' : ' (belum diterbitkan)'}` : '';
            },
          },
        },
      },
    },
  });
  $('profile').scrollIntoView({ block: 'start' });
}

/** "What moves my rank?": the five single improvements (issue 12 §4). */
async function showAdvice(kode) {
  const advice = await api(
    `/cycles/${encodeURIComponent(state.cycleId)}/regions/${encodeURIComponent(kode)}/advice`,
  );
  if (state.region !== kode) return;
  const list = $('advice-list');
  const cluster = filters().cluster;
  const items = advice.improvements.map((i) => {
    const r = i.ranks.find((x) => x.cluster === cluster) ?? i.ranks[0];
    const moved = r
      ? r.rank < r.from
        ? `peringkat ${r.from} → ${r.rank}`
        : `peringkat tetap ${r.rank}`
      : '';
    return el(
      'li',
      {},
      el('span', {}, i.description.id),
      el(
        'span',
        { className: 'sub' },
        ` — nilai ${advice.baseline?.display ?? '–'} → ${i.display} (${i.predikat})${moved ? `; ${moved}` : ''}`,
      ),
    );
  });
  list.replaceChildren(
    ...(items.length > 0 ? items : [el('li', {}, 'Tidak ada perbaikan tunggal yang menaikkan nilai.')]),
  );
  $('advice').hidden = !advice.available;
}

// --- cycles -------------------------------------------------------------------------------------

async function loadCycle(cycleId) {
  state.cycleId = cycleId;
  state.cursors = [];
  $('profile').hidden = true;
  $('summary').hidden = true;
  $('ranking').hidden = true;
  const url = new URL(window.location.href);
  url.searchParams.set('cycle', cycleId);
  window.history.replaceState(null, '', url);
  // The verification views open even when the results are not readable yet (still in verification).
  const outcomes = await Promise.allSettled([
    api(`/cycles/${encodeURIComponent(cycleId)}/summary`).then(async (summary) => {
      showSummary(summary);
      await loadRanking();
    }),
    verification.show(),
  ]);
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
}

async function loadCycles() {
  const select = $('cycle');
  const { items } = await api('/cycles', { limit: '100' });
  select.replaceChildren(...items.map((c) => el('option', { value: c.cycleId }, `${c.name} (${c.status})`)));
  const wanted = new URL(window.location.href).searchParams.get('cycle');
  const preferred =
    items.find((c) => c.cycleId === wanted) ??
    items.find((c) => c.status === 'PUBLISHED') ??
    items.find((c) => c.status === 'ASSESSED') ??
    items[0];
  if (!preferred)
    throw new ApiError(404, { detail_id: 'Belum ada siklus penilaian.', detail: 'No cycle yet.' });
  select.value = preferred.cycleId;
  await loadCycle(preferred.cycleId);
}

async function start() {
  showError(null);
  showWho();
  if (!state.token) {
    showError(new ApiError(401, {}));
    return;
  }
  try {
    await loadCycles();
    const region = new URL(window.location.href).searchParams.get('region');
    if (region) await openRegion(region);
  } catch (error) {
    showError(error);
  }
}

async function init() {
  let config = {};
  try {
    config = await fetch('config.json').then((r) => (r.ok ? r.json() : {}));
    if (typeof config.apiBase === 'string') state.apiBase = config.apiBase.replace(/\/+$/, '');
    if (Array.isArray(config.reasons)) state.config = { reasons: config.reasons };
  } catch {
    state.apiBase = '';
  }
  const apiParam = new URL(window.location.href).searchParams.get('api');
  if (apiParam) state.apiBase = apiParam.replace(/\/+$/, '');

  try {
    state.session = await setupSignIn(config.oidc);
  } catch (error) {
    state.session = null;
    showError(error);
  }
  // The API takes the ID token (it carries the roles, the region and the province).
  state.token = state.session?.user?.id_token ?? '';
  $('sign-in').addEventListener('click', () => state.session?.signIn().catch(showError));
  $('sign-out').addEventListener('click', () => state.session?.signOut().catch(showError));
  verification.bind();
  $('cycle').addEventListener('change', (event) => {
    showError(null);
    loadCycle(event.target.value).catch(showError);
  });
  for (const id of ['cluster', 'province', 'predikat']) $(id).addEventListener('change', restartRanking);
  $('search').addEventListener('input', () => {
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(restartRanking, 250);
  });
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    restartRanking();
  });
  $('next').addEventListener('click', () => {
    if (!state.nextCursor) return;
    state.cursors.push(state.cursor);
    loadRanking(state.nextCursor).catch(showError);
  });
  $('prev').addEventListener('click', () => {
    const previous = state.cursors.pop();
    loadRanking(previous ?? null).catch(showError);
  });
  $('export-csv').addEventListener('click', () => download('csv').catch(showError));
  $('export-xlsx').addEventListener('click', () => download('xlsx').catch(showError));
  $('profile-close').addEventListener('click', () => {
    $('profile').hidden = true;
  });
  await start();
  document.body.dataset.ready = 'true';
}

init();
