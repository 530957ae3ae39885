// The IKKD survey form: no account, the one-time code is the key. Answers stay in this browser
// (localStorage) until they are sent. Everything from the API is written as text, never HTML.
(() => {
  const T = {
    id: {
      title: 'Survei Kepemimpinan Kepala Daerah',
      intro: 'Jawaban Anda anonim: disimpan tanpa nama Anda dan tanpa kode undangan.',
      codeLabel: 'Kode undangan',
      codeHint: '16 huruf/angka pada undangan, mis. ABCD-EFGH-JKLM-NPQR',
      open: 'Buka formulir',
      send: 'Kirim jawaban',
      lang: 'English',
      loading: 'Memuat…',
      sending: 'Mengirim…',
      region: (r, c) => `Daerah: ${r}. Berlaku sampai ${c}.`,
      missing: (n) => `${n} butir belum dijawab. Jawab setiap butir.`,
      saved: 'Jawaban tersimpan di perangkat ini sampai dikirim.',
      offline: 'Tidak tersambung. Jawaban tetap tersimpan di perangkat ini; coba kirim lagi.',
      done: 'Terima kasih. Jawaban Anda sudah diterima.',
    },
    en: {
      title: 'Regional Head Leadership Survey',
      intro: 'Your answers are anonymous: stored without your name and without the invitation code.',
      codeLabel: 'Invitation code',
      codeHint: 'The 16 letters/digits on your invitation, e.g. ABCD-EFGH-JKLM-NPQR',
      open: 'Open the form',
      send: 'Send answers',
      lang: 'Bahasa Indonesia',
      loading: 'Loading…',
      sending: 'Sending…',
      region: (r, c) => `Region: ${r}. Valid until ${c}.`,
      missing: (n) => `${n} items are not answered yet. Answer every item.`,
      saved: 'Answers are kept on this device until they are sent.',
      offline: 'No connection. Your answers stay on this device; try sending again.',
      done: 'Thank you. Your answers were received.',
    },
  };
  let lang = 'id';
  let api = '';
  let code = '';
  let form = null;
  let view = null;
  const $ = (id) => document.getElementById(id);
  const t = (k, ...a) => (typeof T[lang][k] === 'function' ? T[lang][k](...a) : T[lang][k]);
  const storeKey = () => `indeks-survey:${code}`;
  const say = (text, error) => {
    const s = $('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  };
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  };
  const problemText = (body) => (lang === 'id' ? body.detail_id : body.detail) || '';

  function applyLang() {
    document.documentElement.lang = lang;
    for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
    const b = $('lang');
    b.textContent = t('lang');
    b.setAttribute('lang', lang === 'id' ? 'en' : 'id');
    b.setAttribute('aria-pressed', String(lang === 'en'));
    if (form) render();
  }

  function saved() {
    try {
      return JSON.parse(localStorage.getItem(storeKey()) || '{}');
    } catch {
      return {};
    }
  }

  function render() {
    const answers = saved();
    $('region').textContent = t('region', view.region.nama, view.closesAtWib);
    const box = $('items');
    box.replaceChildren();
    let n = 0;
    for (const section of form.sections) {
      box.append(el('h2', {}, section.name[lang]));
      for (const code of section.items) {
        const item = form.items.find((i) => i.code === code);
        if (!item) continue;
        n++;
        const fs = el('fieldset', { id: `q-${code}` }, el('legend', {}, `${n}. ${item.text[lang]}`));
        for (const option of form.scale.labels) {
          const id = `a-${code}-${option.value}`;
          const input = el('input', { type: 'radio', name: code, id, value: String(option.value) });
          if (answers[code] === option.value) input.checked = true;
          fs.append(el('div', { class: 'choice' }, input, el('label', { for: id }, option[lang])));
        }
        box.append(fs);
      }
    }
  }

  /**
   * A request to the form's API: its JSON body, or undefined once the refusal (or being offline)
   * has been said to the respondent.
   */
  async function call(path, init) {
    let response;
    try {
      response = await fetch(`${api}/survey/forms/${encodeURIComponent(code)}${path}`, init);
    } catch {
      say(t('offline'), true);
      return undefined;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(problemText(body), true);
      return undefined;
    }
    return body;
  }

  async function open(typed) {
    code = typed.trim().toUpperCase();
    say(t('loading'));
    const body = await call('');
    if (!body) return;
    view = body;
    form = body.form;
    $('code-form').hidden = true;
    $('survey').hidden = false;
    render();
    say(t('saved'));
    $('items').querySelector('input')?.focus();
  }

  async function send(event) {
    event.preventDefault();
    const answers = saved();
    const missing = form.items.filter((i) => answers[i.code] === undefined);
    for (const i of form.items) $(`q-${i.code}`)?.classList.toggle('missing', answers[i.code] === undefined);
    if (missing.length > 0) {
      say(t('missing', missing.length), true);
      $(`q-${missing[0].code}`)?.querySelector('input')?.focus();
      return;
    }
    say(t('sending'));
    const body = await call('/answers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers }),
    });
    if (!body) return;
    localStorage.removeItem(storeKey());
    $('survey').hidden = true;
    say(t('done'));
    $('status').setAttribute('tabindex', '-1');
    $('status').focus();
  }

  async function start() {
    try {
      const config = await (await fetch('../config.json')).json();
      api = (config.apiBase || '').replace(/\/+$/, '');
    } catch {
      api = '';
    }
    $('lang').addEventListener('click', () => {
      lang = lang === 'id' ? 'en' : 'id';
      applyLang();
    });
    $('code-form').addEventListener('submit', (e) => {
      e.preventDefault();
      open($('code').value);
    });
    $('survey').addEventListener('change', (e) => {
      if (e.target.type !== 'radio') return;
      const answers = saved();
      answers[e.target.name] = Number(e.target.value);
      localStorage.setItem(storeKey(), JSON.stringify(answers));
      $(`q-${e.target.name}`)?.classList.remove('missing');
    });
    $('survey').addEventListener('submit', send);
    // The code travels in the fragment (#ABCD-…), which is never sent to any server.
    const fromLink = decodeURIComponent(location.hash.slice(1));
    if (fromLink) {
      $('code').value = fromLink;
      history.replaceState(null, '', location.pathname);
      await open(fromLink);
    }
  }
  start();
})();
