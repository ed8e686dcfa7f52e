// The bulwark dashboard. Everything shown comes from /api (alert contents
// come from monitored, possibly hostile processes), so the DOM is built
// with createElement and textContent only: never from HTML strings.
'use strict';
(function () {
  const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice',
    'Informational', 'Debug'];
  const MAX_ALERTS = 2000;  // kept in the page
  const MAX_ROWS = 300;     // drawn in the table
  const SVG = 'http://www.w3.org/2000/svg';

  const state = {
    alerts: [],        // newest first: {id, alert}
    latest: 0,
    selected: null,
    summary: null,
    stream: null,
    drawPending: false,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  async function api(path) {
    const res = await fetch(path, { credentials: 'same-origin' });
    if (res.status === 401) {
      window.location.replace('/login');
      throw new Error('unauthorized');
    }
    if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
    return res.json();
  }

  function field(alert, name) {
    const f = alert.output_fields || {};
    return Object.prototype.hasOwnProperty.call(f, name) && f[name] !== null ? String(f[name]) : '';
  }

  function containerOf(alert) {
    return field(alert, 'container.name') || field(alert, 'container.id') || '(none)';
  }

  function shortTime(iso) {
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleTimeString();
  }

  function priorityClass(p) {
    return 'prio prio-' + String(p).toLowerCase().replace(/[^a-z]/g, '');
  }

  // ---- alerts -------------------------------------------------------------

  function addAlerts(items) {
    for (const item of items) {
      if (item.id <= state.latest) continue;
      state.alerts.unshift(item);
      state.latest = item.id;
    }
    if (state.alerts.length > MAX_ALERTS) state.alerts.length = MAX_ALERTS;
    scheduleDraw();
  }

  function currentFilter() {
    return {
      priority: $('f-priority').value,
      rule: $('f-rule').value,
      container: $('f-container').value,
      q: $('f-q').value.trim().toLowerCase(),
    };
  }

  function matches(item, f) {
    const a = item.alert;
    if (f.priority && a.priority !== f.priority) return false;
    if (f.rule && a.rule !== f.rule) return false;
    if (f.container && containerOf(a) !== f.container) return false;
    if (!f.q) return true;
    if (String(a.rule).toLowerCase().includes(f.q)) return true;
    if (String(a.output).toLowerCase().includes(f.q)) return true;
    return Object.values(a.output_fields || {}).some(
      (v) => v !== null && String(v).toLowerCase().includes(f.q));
  }

  function scheduleDraw() {
    if (state.drawPending) return;
    state.drawPending = true;
    window.requestAnimationFrame(() => {
      state.drawPending = false;
      drawTable();
      refreshOptions();
    });
  }

  function drawTable() {
    const f = currentFilter();
    const body = $('alert-rows');
    clear(body);
    let shown = 0;
    let matched = 0;
    for (const item of state.alerts) {
      if (!matches(item, f)) continue;
      ++matched;
      if (shown >= MAX_ROWS) continue;
      ++shown;
      body.appendChild(row(item));
    }
    $('shown').textContent = matched + ' of ' + state.alerts.length + ' alerts match' +
      (matched > shown ? ' (newest ' + shown + ' shown)' : '');
  }

  function row(item) {
    const a = item.alert;
    const tr = el('tr');
    tr.tabIndex = 0;
    tr.dataset.id = String(item.id);
    if (state.selected === item.id) tr.className = 'selected';
    tr.appendChild(el('td', item.id));
    tr.appendChild(el('td', shortTime(a.time)));
    const prio = el('td');
    prio.appendChild(el('span', String(a.priority).toUpperCase(), priorityClass(a.priority)));
    tr.appendChild(prio);
    tr.appendChild(el('td', a.rule));
    tr.appendChild(el('td', containerOf(a)));
    tr.appendChild(el('td', field(a, 'proc.name')));
    const open = () => select(item.id);
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') open(); });
    return tr;
  }

  function fillSelect(select, values) {
    const current = select.value;
    const have = new Set(Array.from(select.options).map((o) => o.value));
    for (const v of values) {
      if (have.has(v)) continue;
      const option = el('option', v);
      option.value = v;
      select.appendChild(option);
    }
    select.value = current;
  }

  function refreshOptions() {
    const rules = new Set();
    const containers = new Set();
    for (const item of state.alerts) {
      rules.add(item.alert.rule);
      containers.add(containerOf(item.alert));
    }
    fillSelect($('f-rule'), Array.from(rules).sort());
    fillSelect($('f-container'), Array.from(containers).sort());
  }

  // ---- drill-down ---------------------------------------------------------

  const GROUPS = [
    ['Process', (n) => /^proc\.(name|exe|exepath|cmdline|pid|vpid|cwd|tty|args|sid)\b/.test(n)],
    ['Parent chain', (n) => /^proc\.(p|a)/.test(n)],
    ['User', (n) => /^user\.|^group\./.test(n)],
    ['Container', (n) => /^container\.|^k8s\./.test(n)],
    ['File and network', (n) => /^fd\.|^fs\./.test(n)],
    ['Event', () => true],
  ];

  function select(id) {
    state.selected = id;
    const item = state.alerts.find((x) => x.id === id);
    const detail = $('detail');
    clear(detail);
    if (!item) {
      detail.appendChild(el('p', 'This alert is no longer kept.', 'hint'));
      return;
    }
    const a = item.alert;
    detail.appendChild(el('h3', a.rule, 'detail-rule'));
    const meta = el('p');
    meta.appendChild(el('span', String(a.priority).toUpperCase(), priorityClass(a.priority)));
    meta.appendChild(document.createTextNode(' #' + item.id + ' at ' + a.time +
      (a.hostname ? ' on ' + a.hostname : '')));
    detail.appendChild(meta);
    detail.appendChild(el('p', a.output, 'output'));
    const names = Object.keys(a.output_fields || {}).sort();
    const used = new Set();
    for (const [title, test] of GROUPS) {
      const dl = el('dl');
      for (const n of names) {
        if (used.has(n) || !test(n)) continue;
        used.add(n);
        dl.appendChild(el('dt', n));
        const v = a.output_fields[n];
        dl.appendChild(el('dd', v === null ? '<NA>' : v, v === null ? 'na' : ''));
      }
      if (!dl.firstChild) continue;
      detail.appendChild(el('h4', title));
      detail.appendChild(dl);
    }
    if ((a.tags || []).length) detail.appendChild(el('p', 'Tags: ' + a.tags.join(', '), 'hint'));
    const only = el('button', 'Show only this container');
    only.type = 'button';
    only.addEventListener('click', () => {
      fillSelect($('f-container'), [containerOf(a)]);
      $('f-container').value = containerOf(a);
      scheduleDraw();
    });
    detail.appendChild(only);
    for (const tr of document.querySelectorAll('#alert-rows tr')) {
      tr.className = tr.dataset.id === String(id) ? 'selected' : '';
    }
  }

  // ---- chart --------------------------------------------------------------

  // Fill patterns, so series read without colour (and in print).
  const PATTERNS = [
    { id: 'p-solid', draw: (p) => p.appendChild(svg('rect', { width: 8, height: 8, class: 'pat-fill' })) },
    { id: 'p-hatch', draw: (p) => p.appendChild(svg('path', { d: 'M0,8 L8,0', class: 'pat-line' })) },
    { id: 'p-dots', draw: (p) => p.appendChild(svg('circle', { cx: 4, cy: 4, r: 1.6, class: 'pat-fill' })) },
    { id: 'p-cross', draw: (p) => p.appendChild(svg('path', { d: 'M0,0 L8,8 M0,8 L8,0', class: 'pat-line' })) },
    { id: 'p-horiz', draw: (p) => p.appendChild(svg('path', { d: 'M0,4 L8,4', class: 'pat-line' })) },
    { id: 'p-vert', draw: (p) => p.appendChild(svg('path', { d: 'M4,0 L4,8', class: 'pat-line' })) },
    { id: 'p-empty', draw: () => {} },
  ];

  function defs() {
    const d = svg('defs');
    PATTERNS.forEach((pat, i) => {
      const p = svg('pattern', { id: pat.id, width: 8, height: 8, patternUnits: 'userSpaceOnUse',
        class: 'series-' + i });
      pat.draw(p);
      d.appendChild(p);
    });
    return d;
  }

  function seriesOf(summary, mode) {
    const buckets = (summary.series && summary.series.buckets) || [];
    let names;
    if (mode === 'rule') {
      const totals = new Map();
      for (const b of buckets) {
        for (const [r, n] of Object.entries(b.by_rule || {})) totals.set(r, (totals.get(r) || 0) + n);
      }
      names = Array.from(totals.entries()).sort((x, y) => y[1] - x[1]).map((x) => x[0]);
      if (names.length > PATTERNS.length - 1) names = names.slice(0, PATTERNS.length - 1).concat(['other rules']);
    } else {
      names = PRIORITIES.filter((p) => buckets.some((b) => (b.by_priority || {})[p]));
    }
    const values = buckets.map((b) => {
      const src = mode === 'rule' ? b.by_rule || {} : b.by_priority || {};
      const row = names.map((n) => src[n] || 0);
      if (mode === 'rule' && names[names.length - 1] === 'other rules') {
        const named = new Set(names);
        row[row.length - 1] = Object.entries(src).filter(([r]) => !named.has(r))
          .reduce((s, [, n]) => s + n, 0);
      }
      return row;
    });
    return { names, buckets, values };
  }

  function drawChart() {
    const host = $('chart');
    clear(host);
    clear($('legend'));
    if (!state.summary) return;
    const { names, buckets, values } = seriesOf(state.summary, $('chart-mode').value);
    if (!buckets.length) {
      host.appendChild(el('p', 'No alerts yet.', 'hint'));
      return;
    }
    const W = 640, H = 180, left = 40, bottom = 24, top = 8;
    const max = Math.max(1, ...values.map((r) => r.reduce((s, n) => s + n, 0)));
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart-svg' });
    chart.appendChild(svg('title')).textContent = 'Alerts per ' +
      state.summary.series.bucket_seconds + ' seconds, by ' + $('chart-mode').value;
    chart.appendChild(defs());
    const first = buckets[0].start, last = buckets[buckets.length - 1].start;
    const span = Math.max(1, last - first + state.summary.series.bucket_seconds);
    const width = Math.max(2, (W - left - 4) * state.summary.series.bucket_seconds / span - 1);
    buckets.forEach((b, i) => {
      let y = H - bottom;
      const x = left + (W - left - 4) * (b.start - first) / span;
      values[i].forEach((n, s) => {
        if (!n) return;
        const h = (H - bottom - top) * n / max;
        y -= h;
        const rect = svg('rect', { x: x.toFixed(1), y: y.toFixed(1), width: width.toFixed(1),
          height: h.toFixed(1), fill: 'url(#' + PATTERNS[s % PATTERNS.length].id + ')',
          class: 'chart-bar series-' + s });
        rect.appendChild(svg('title')).textContent = names[s] + ': ' + n + ' at ' +
          new Date(b.start * 1000).toLocaleTimeString();
        chart.appendChild(rect);
      });
    });
    chart.appendChild(svg('line', { x1: left, y1: H - bottom, x2: W, y2: H - bottom, class: 'axis' }));
    chart.appendChild(svg('line', { x1: left, y1: top, x2: left, y2: H - bottom, class: 'axis' }));
    const label = (x, y, text, anchor) => {
      const t = svg('text', { x, y, 'text-anchor': anchor || 'start', class: 'axis-label' });
      t.textContent = text;
      chart.appendChild(t);
    };
    label(left - 4, top + 10, String(max), 'end');
    label(left - 4, H - bottom, '0', 'end');
    label(left, H - 6, new Date(first * 1000).toLocaleTimeString());
    label(W - 4, H - 6, new Date(last * 1000).toLocaleTimeString(), 'end');
    host.appendChild(chart);
    names.forEach((n, s) => {
      const li = el('li');
      const sw = svg('svg', { width: 18, height: 14, 'aria-hidden': 'true' });
      sw.appendChild(defs());
      sw.appendChild(svg('rect', { width: 18, height: 14, fill: 'url(#' + PATTERNS[s % PATTERNS.length].id + ')',
        class: 'chart-bar series-' + s }));
      li.appendChild(sw);
      li.appendChild(document.createTextNode(' ' + n));
      $('legend').appendChild(li);
    });
  }

  function drawTop(list, items) {
    clear(list);
    if (!items.length) list.appendChild(el('li', 'none yet', 'hint'));
    const max = Math.max(1, ...items.map((x) => x.count));
    for (const x of items) {
      const li = el('li');
      li.appendChild(el('span', x.name, 'top-name'));
      const meter = el('span', '', 'meter');
      meter.style.width = Math.round(100 * x.count / max) + '%';
      li.appendChild(meter);
      li.appendChild(el('span', String(x.count), 'top-count'));
      list.appendChild(li);
    }
  }

  async function refreshSummary() {
    try {
      state.summary = await api('/api/summary');
      const s = state.summary;
      const parts = PRIORITIES.filter((p) => s.by_priority[p]).map((p) => p + ' ' + s.by_priority[p]);
      $('totals').textContent = s.total + ' alerts' + (parts.length ? ' — ' + parts.join(', ') : '');
      drawChart();
      drawTop($('top-containers'), s.top_containers);
      drawTop($('top-processes'), s.top_processes);
    } catch (e) { /* the status line says whether the server is reachable */ }
  }

  // ---- findings -----------------------------------------------------------

  const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

  function drawFindings(doc) {
    const host = $('findings');
    clear(host);
    if (doc.error) host.appendChild(el('p', 'Results: ' + doc.error, 'hint'));
    if (!doc.comparisons.length) {
      host.appendChild(el('p', 'No audit, host or scan results' +
        (doc.dir ? ' in ' + doc.dir : '') + ' yet.', 'hint'));
    }
    if (doc.comparisons.length) {
      const table = el('table');
      const head = el('tr');
      for (const h of ['Run', 'Target', 'Before', 'After'].concat(SEVERITIES, ['Fixed', 'New'])) {
        const th = el('th', h);
        th.scope = 'col';
        head.appendChild(th);
      }
      table.appendChild(el('thead')).appendChild(head);
      const body = el('tbody');
      for (const c of doc.comparisons) {
        const tr = el('tr');
        tr.appendChild(el('td', c.label));
        tr.appendChild(el('td', c.target));
        tr.appendChild(el('td', c.has_before ? c.before.total : '—'));
        tr.appendChild(el('td', c.after.total));
        for (const s of SEVERITIES) {
          const b = c.before.by_severity[s], a = c.after.by_severity[s];
          tr.appendChild(el('td', c.has_before ? b + ' → ' + a : String(a)));
        }
        tr.appendChild(el('td', c.fixed));
        tr.appendChild(el('td', c.added));
        body.appendChild(tr);
      }
      table.appendChild(body);
      host.appendChild(table);
      for (const c of doc.comparisons) {
        if (!c.remaining.length) continue;
        const details = el('details');
        details.appendChild(el('summary', c.label + ': ' + c.remaining_total + ' remaining'));
        const ul = el('ul', '', 'remaining');
        for (const f of c.remaining) {
          ul.appendChild(el('li', f.severity.toUpperCase() + ' ' + f.id + ' — ' + f.title +
            (f.where ? ' (' + f.where + ')' : '')));
        }
        details.appendChild(ul);
        host.appendChild(details);
      }
    }
    $('model').hidden = false;
    if (!doc.has_diagram) {
      clear($('model'));
      $('model').appendChild(el('p', 'No threat model yet: run bulwark model and keep its ' +
        'architecture_diagram.svg in the results directory.', 'hint'));
    }
  }

  async function refreshFindings() {
    try {
      drawFindings(await api('/api/findings'));
    } catch (e) { /* retried on the next round */ }
  }

  // ---- live stream --------------------------------------------------------

  function setStatus(text, live) {
    $('status').textContent = text;
    $('status').className = 'status ' + (live ? 'live' : 'down');
  }

  function openStream() {
    if (state.stream) state.stream.close();
    const stream = new EventSource('/api/stream?since=' + state.latest);
    state.stream = stream;
    stream.addEventListener('open', () => setStatus('● LIVE', true));
    stream.addEventListener('alert', (e) => {
      try { addAlerts([JSON.parse(e.data)]); } catch (err) { /* a broken event is skipped */ }
    });
    stream.addEventListener('lagged', () => { stream.close(); reload(); });
    stream.addEventListener('error', () => setStatus('○ DISCONNECTED — retrying', false));
  }

  async function reload() {
    try {
      const doc = await api('/api/alerts?limit=1000');
      state.alerts = [];
      state.latest = 0;
      addAlerts(doc.alerts.slice().reverse());
      state.latest = Math.max(state.latest, doc.latest_id);
    } catch (e) {
      setStatus('○ DISCONNECTED', false);
    }
    openStream();
  }

  function init() {
    const prio = $('f-priority');
    for (const p of PRIORITIES) {
      const o = el('option', p);
      o.value = p;
      prio.appendChild(o);
    }
    for (const id of ['f-priority', 'f-rule', 'f-container']) $(id).addEventListener('change', scheduleDraw);
    $('f-q').addEventListener('input', scheduleDraw);
    $('filters').addEventListener('submit', (e) => e.preventDefault());
    $('f-clear').addEventListener('click', () => {
      for (const id of ['f-priority', 'f-rule', 'f-container', 'f-q']) $(id).value = '';
      scheduleDraw();
    });
    $('chart-mode').addEventListener('change', drawChart);
    $('diagram').addEventListener('error', () => { $('model').hidden = true; });
    reload();
    refreshSummary();
    refreshFindings();
    setInterval(refreshSummary, 3000);
    setInterval(refreshFindings, 30000);
  }

  document.addEventListener('DOMContentLoaded', init);
})();
