// wutriage HTML report. Evidence is hostile: it only ever enters the page
// as text (textContent, SVG <title> text), never as markup.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('wutriage-data').textContent);
  const VERDICTS = ['confirmed', 'latent', 'other-cause', 'inconclusive', 'healthy', 'not-applicable'];
  const SEVERITY = { high: 3, medium: 2, low: 1, info: 0 };
  const PAGE = 100;
  const SVG = 'http://www.w3.org/2000/svg';
  const titles = {};
  data.rules.forEach((r) => { titles[r.id] = r.title; });

  // An element with a class, text and children; text is always textContent.
  function el(tag, cls, text, children) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    (children || []).forEach((c) => { if (c) e.appendChild(c); });
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach((k) => e.setAttribute(k, String(attrs[k])));
    return e;
  }
  function codesText(h) {
    return h.codes.map((c) => c[0].replace(/^0x/, '') + '\u00d7' + c[1]).join(' ');
  }
  function lines(h) {
    return h.codes.reduce((n, c) => n + c[1], 0);
  }

  // ---- Overview -------------------------------------------------------
  function overview() {
    const t = data.totals;
    const card = (label, value, cls) =>
      el('div', 'card ' + (cls || ''), null, [el('div', 'value', value), el('div', 'label', label)]);
    const cards = el('div', 'cards', null, [
      card('hosts', t.hosts),
      card('need action', t.needing_action, t.needing_action ? 'bad' : 'good'),
      card('with unreadable inputs', t.with_input_errors, t.with_input_errors ? 'warn' : ''),
      card('error lines in logs', data.days.total),
    ]);
    const head = el('tr', null, null, [el('th', null, 'rule')].concat(
      VERDICTS.map((v) => el('th', 'num', v))));
    const body = el('tbody');
    data.overview.forEach((r) => {
      const name = el('td', 'rule', r.rule);
      name.title = titles[r.rule] || '';
      const row = el('tr', null, null, [name]);
      VERDICTS.forEach((v) => {
        const n = r.verdicts[v] || 0;
        row.appendChild(el('td', 'num ' + (n ? 'v-' + v : 'zero'), n));
      });
      body.appendChild(row);
    });
    const table = el('table', 'overview', null, [el('thead', null, null, [head]), body]);
    const sec = el('section', null, null, [
      el('h2', null, 'Fleet overview'), cards,
      el('p', 'note', 'Hosts per rule and verdict (a host counts once per rule).'), table,
    ]);
    sec.id = 'overview';
    return sec;
  }

  // ---- Chart ----------------------------------------------------------
  // Buckets over the whole span, empty ones included: days, months or years.
  function buckets() {
    const days = Object.keys(data.days.days).sort();
    if (!days.length) return [];
    const ms = (d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
    const first = days[0], last = days[days.length - 1];
    const span = (ms(last) - ms(first)) / 86400000;
    const labels = [];
    let key;
    if (span <= 370) {
      key = (d) => d;
      for (let t = ms(first); t <= ms(last); t += 86400000) labels.push(new Date(t).toISOString().slice(0, 10));
    } else if (span <= 3660) {
      key = (d) => d.slice(0, 7);
      for (let y = +first.slice(0, 4), m = +first.slice(5, 7); y * 12 + m <= +last.slice(0, 4) * 12 + +last.slice(5, 7); m++) {
        if (m > 12) { m = 1; y++; }
        labels.push(String(y).padStart(4, '0') + '-' + String(m).padStart(2, '0'));
      }
    } else {
      key = (d) => d.slice(0, 4);
      for (let y = +first.slice(0, 4); y <= +last.slice(0, 4); y++) labels.push(String(y).padStart(4, '0'));
    }
    const index = {};
    const out = labels.map((l, i) => { index[l] = i; return { label: l, count: 0 }; });
    days.forEach((d) => { const i = index[key(d)]; if (i !== undefined) out[i].count += data.days.days[d]; });
    return out;
  }
  function chart() {
    const sec = el('section', null, null, [el('h2', null, 'Error lines over time')]);
    sec.id = 'chart';
    const b = buckets();
    const d = data.days;
    sec.appendChild(el('p', 'note',
      'Error lines the logs report, by date, across all hosts: all of a code\u2019s lines when its first and last fall ' +
      'on one day, otherwise its first, last and quoted lines. ' + d.dated + ' of ' + d.total +
      ' lines are dated here; the host table gives every count.'));
    if (!b.length) {
      sec.appendChild(el('p', 'empty', 'No dated error lines in the logs.'));
      return sec;
    }
    const W = 640, H = 260, L = 56, B = 28, T = 10;
    const max = Math.max.apply(null, b.map((x) => x.count));
    const bw = (W - L - 10) / b.length;
    const s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', class: 'chart' });
    s.appendChild(svg('line', { x1: L, y1: H - B, x2: W - 10, y2: H - B, class: 'axis' }));
    [[0, H - B], [max, T]].forEach((p) => {
      const t = svg('text', { x: L - 6, y: p[1] + 4, 'text-anchor': 'end', class: 'tick' });
      t.textContent = String(p[0]);
      s.appendChild(t);
    });
    b.forEach((x, i) => {
      const h = max ? (x.count / max) * (H - B - T) : 0;
      const r = svg('rect', { x: L + i * bw, y: H - B - h, width: Math.max(bw - 1, 1), height: h, class: 'bar' });
      const tip = svg('title');
      tip.textContent = x.label + ': ' + x.count + ' error line(s)';
      r.appendChild(tip);
      s.appendChild(r);
    });
    [0, Math.floor(b.length / 2), b.length - 1].forEach((i, n, all) => {
      if (n > 0 && i === all[n - 1]) return;
      const anchor = n === 0 ? 'start' : n === 2 ? 'end' : 'middle';
      const t = svg('text', { x: L + (n === 2 ? (i + 1) * bw : i * bw + bw / 2), y: H - 8, 'text-anchor': anchor, class: 'tick' });
      t.textContent = b[i].label;
      s.appendChild(t);
    });
    sec.appendChild(s);
    return sec;
  }

  // ---- Host details (built when a row is opened) -----------------------
  function utf16le(text) {
    const buf = new DataView(new ArrayBuffer(2 * (text.length + 1)));
    buf.setUint16(0, 0xfeff, true);
    for (let i = 0; i < text.length; i++) buf.setUint16(2 * (i + 1), text.charCodeAt(i), true);
    return buf.buffer;
  }
  function download(remedy) {
    const b = el('button', 'download', 'Download ' + remedy.name);
    b.type = 'button';
    b.addEventListener('click', (ev) => {
      ev.stopPropagation();
      const url = URL.createObjectURL(new Blob([utf16le(remedy.reg)], { type: 'application/octet-stream' }));
      const a = el('a');
      a.href = url;
      a.download = remedy.name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    return b;
  }
  function list(cls, items) {
    return items.length ? el('ul', cls, null, items.map((i) => el('li', null, i))) : null;
  }
  function errorsTable(errors) {
    if (!errors.length) return null;
    const head = el('tr', null, null, ['code', 'name', 'lines', 'first', 'last'].map((h) => el('th', null, h)));
    const body = el('tbody');
    errors.forEach((e) => {
      body.appendChild(el('tr', null, null, [
        el('td', 'code', e.code), el('td', null, e.name || ''), el('td', 'num', e.count),
        el('td', null, e.first || ''), el('td', null, e.last || ''),
      ]));
      e.examples.forEach((x) => {
        const cell = el('td', null, null, [el('pre', 'evidence', x.file + ':' + x.line + ': ' + x.text)]);
        cell.colSpan = 5;
        body.appendChild(el('tr', 'example', null, [cell]));
      });
    });
    return el('table', 'errors', null, [el('thead', null, null, [head]), body]);
  }
  function finding(f) {
    ['values', 'errors', 'recorded', 'notes'].forEach((k) => { f[k] = f[k] || []; });
    const head = el('div', 'fhead', null, [
      el('span', 'badge v-' + f.verdict, f.verdict), el('span', 'sev s-' + f.severity, f.severity),
      el('strong', null, f.rule), el('span', 'ftitle', titles[f.rule] || ''),
    ]);
    const parts = [head, el('p', 'summary', f.summary || '')];
    if (f.key) parts.push(el('p', 'key', f.key + (f.source ? '  \u2014 in ' + f.source : '')));
    parts.push(list('values', f.values), errorsTable(f.errors));
    if (f.recorded.length) parts.push(el('p', 'sub', 'Recorded by the registry:'), list('recorded', f.recorded));
    parts.push(list('notes', f.notes));
    if (f.left_out) parts.push(el('p', 'note', f.left_out + ' part(s) left out of this page; the JSON output has all.'));
    if (f.remedy) parts.push(download(f.remedy));
    return el('div', 'finding ' + (f.problem ? 'problem' : 'fine'), null, parts);
  }
  function details(h) {
    const box = el('div', 'details');
    const facts = [['computer', h.computer || '\u2014'], ['OS', h.os || 'unknown']];
    box.appendChild(el('dl', null, null, facts.flatMap((f) => [el('dt', null, f[0]), el('dd', null, f[1])])));
    const problems = h.findings.filter((f) => f.problem);
    if (!problems.length && !h.input_errors) box.appendChild(el('p', 'fine-line', 'Nothing wrong found on this host.'));
    h.findings.filter((f) => f.problem || f.verdict === 'inconclusive').forEach((f) => box.appendChild(finding(f)));
    const rest = h.findings.filter((f) => !f.problem && f.verdict !== 'inconclusive');
    if (rest.length) {
      box.appendChild(el('p', 'rest', rest.map((f) => f.rule + ' ' + f.verdict).join(' \u00b7 ')));
    }
    const inputs = h.inputs.map((i) => el('li', i.error ? 'input-error' : null, i.path + ' (' + i.kind + ')' + (i.error ? ': ' + i.error : '')));
    if (h.inputs_left_out) inputs.push(el('li', null, h.inputs_left_out + ' more input(s)'));
    box.appendChild(el('h4', null, 'Inputs'));
    box.appendChild(el('ul', 'inputs', null, inputs));
    return box;
  }

  // ---- Host table ------------------------------------------------------
  const COLUMNS = [
    ['host', 'host', (h) => h.host.toLowerCase()],
    ['computer', 'computer', (h) => (h.computer || '').toLowerCase()],
    ['rule', 'worst finding', (h) => (h.worst ? h.worst.rule : '')],
    ['verdict', 'verdict', (h) => (h.worst ? VERDICTS.indexOf(h.worst.verdict) : 99)],
    ['severity', 'severity', (h) => -(h.worst ? SEVERITY[h.worst.severity] : -1)],
    ['codes', 'error codes', (h) => -lines(h)],
    ['inputs', 'unreadable', (h) => -h.input_errors],
    ['os', 'OS', (h) => (h.os || '').toLowerCase()],
  ];
  const state = { sort: 4, desc: false, page: 0, text: '', verdict: '', severity: 0, action: false, open: new Set(), rows: [] };
  const search = data.hosts.map((h) => [h.host, h.computer || '', h.os || '', h.worst ? h.worst.rule : '', codesText(h)].join('\n').toLowerCase());

  function filtered() {
    const text = state.text.toLowerCase();
    const rows = [];
    data.hosts.forEach((h, i) => {
      if (text && search[i].indexOf(text) < 0) return;
      if (state.verdict && (!h.worst || h.worst.verdict !== state.verdict)) return;
      if (state.severity && (!h.worst || SEVERITY[h.worst.severity] < state.severity)) return;
      if (state.action && !h.problems && !h.input_errors) return;
      rows.push(i);
    });
    const key = COLUMNS[state.sort][2];
    rows.sort((a, b) => {
      const x = key(data.hosts[a]), y = key(data.hosts[b]);
      const c = x < y ? -1 : x > y ? 1 : a - b;
      return state.desc ? -c : c;
    });
    return rows;
  }
  function row(i) {
    const h = data.hosts[i];
    const w = h.worst;
    const cells = [
      el('td', 'host', h.host), el('td', null, h.computer || '\u2014'),
      el('td', 'rule', w ? w.rule : 'not analysed'),
      el('td', null, null, [el('span', 'badge v-' + (w ? w.verdict : 'none'), w ? w.verdict : '\u2014')]),
      el('td', null, null, [el('span', 'sev s-' + (w ? w.severity : 'none'), w ? w.severity : '\u2014')]),
      el('td', 'code', codesText(h)), el('td', 'num' + (h.input_errors ? ' bad-text' : ''), h.input_errors),
      el('td', 'os', h.os || 'unknown'),
    ];
    const tr = el('tr', 'host-row' + (state.open.has(i) ? ' open' : ''), null, cells);
    tr.dataset.index = String(i);
    tr.tabIndex = 0;
    return tr;
  }
  function render(tbody, status) {
    const rows = state.rows;
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const start = state.page * PAGE;
    const frag = document.createDocumentFragment();
    rows.slice(start, start + PAGE).forEach((i) => {
      frag.appendChild(row(i));
      if (state.open.has(i)) {
        const cell = el('td', null, null, [details(data.hosts[i])]);
        cell.colSpan = COLUMNS.length;
        frag.appendChild(el('tr', 'details-row', null, [cell]));
      }
    });
    tbody.replaceChildren(frag);
    const shown = rows.length ? (start + 1) + '\u2013' + Math.min(start + PAGE, rows.length) : '0';
    status.textContent = shown + ' of ' + rows.length + ' hosts' +
      (rows.length < data.hosts.length ? ' (filtered from ' + data.hosts.length + ')' : '') +
      ' \u00b7 page ' + (state.page + 1) + ' of ' + pages;
  }
  function hosts() {
    const sec = el('section', null, null, [el('h2', null, 'Hosts')]);
    sec.id = 'hosts';
    const filter = el('input');
    filter.type = 'search';
    filter.placeholder = 'filter: host, computer, OS, rule, code';
    filter.id = 'filter';
    const verdict = el('select', null, null, [el('option', null, 'any verdict')].concat(VERDICTS.map((v) => el('option', null, v))));
    verdict.options[0].value = '';
    verdict.id = 'verdict';
    const sev = el('select', null, null, ['any severity', 'low or worse', 'medium or worse', 'high'].map((s) => el('option', null, s)));
    sev.id = 'severity';
    const action = el('input');
    action.type = 'checkbox';
    action.id = 'action';
    const label = el('label', null, null, [action, document.createTextNode(' only hosts that need action')]);
    const prev = el('button', null, '\u2190 previous'), next = el('button', null, 'next \u2192');
    const status = el('span', null, '');
    status.id = 'pager-status';
    const head = el('tr');
    const tbody = el('tbody');
    const refresh = (again) => { if (again) state.rows = filtered(); render(tbody, status); };
    COLUMNS.forEach((c, i) => {
      const th = el('th', 'sortable', c[1]);
      th.addEventListener('click', () => {
        state.desc = state.sort === i ? !state.desc : false;
        state.sort = i;
        head.querySelectorAll('th').forEach((t, j) => { t.className = 'sortable' + (j === i ? (state.desc ? ' desc' : ' asc') : ''); });
        refresh(true);
      });
      head.appendChild(th);
    });
    head.children[state.sort].className = 'sortable asc';
    const onFilter = () => {
      state.text = filter.value; state.verdict = verdict.value;
      state.severity = sev.selectedIndex; state.action = action.checked; state.page = 0;
      refresh(true);
    };
    [filter, verdict, sev, action].forEach((c) => c.addEventListener('input', onFilter));
    prev.addEventListener('click', () => { if (state.page > 0) { state.page--; refresh(false); } });
    next.addEventListener('click', () => { state.page++; refresh(false); });
    tbody.addEventListener('click', (ev) => {
      const tr = ev.target.closest('tr.host-row');
      if (!tr) return;
      const i = Number(tr.dataset.index);
      if (state.open.has(i)) state.open.delete(i); else state.open.add(i);
      refresh(false);
    });
    tbody.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && ev.target.matches('tr.host-row')) ev.target.click();
    });
    const table = el('table', 'hosts', null, [el('thead', null, null, [head]), tbody]);
    sec.appendChild(el('div', 'controls', null, [filter, verdict, sev, label]));
    sec.appendChild(el('div', 'scroll', null, [table]));
    sec.appendChild(el('div', 'pager', null, [prev, status, next]));
    state.rows = filtered();
    // `#host=NAME` opens that host's details on its page.
    const m = /^#host=(.*)$/.exec(location.hash);
    if (m) {
      const name = decodeURIComponent(m[1]);
      const at = state.rows.findIndex((i) => data.hosts[i].host === name);
      if (at >= 0) { state.open.add(state.rows[at]); state.page = Math.floor(at / PAGE); }
    }
    render(tbody, status);
    return sec;
  }

  const header = el('header', null, null, [
    el('h1', null, 'wutriage report'),
    el('p', 'meta', data.totals.hosts + ' host(s) \u00b7 ' + data.tool.name + ' ' + data.tool.version),
  ]);
  const main = el('main', null, null, [el('div', 'top', null, [overview(), chart()]), hosts()]);
  document.body.appendChild(header);
  document.body.appendChild(main);
  document.body.dataset.ready = 'true';
})();
