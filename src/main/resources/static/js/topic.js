// One topic: KPIs, live tail (credit-based, pausable), produce form, partitions, throughput and a message browser.
import { api } from './api.js';
import { RollingChart } from './charts.js';
import { esc, num, rate, bytes, time, dateTime, show } from './format.js';

const TAIL_ROWS = 200;
const TAIL_CREDIT = 200;
const PAGE = 50;

export function renderTopic(root, { socket, toast, navigate }, name) {
  root.innerHTML = `
    <div class="page-head">
      <a href="#/" class="subtle">Topics</a><span class="subtle">/</span>
      <h1 id="topic-name">${esc(name)}</h1>
      <span class="pill pill-good" id="topic-partitions">…</span>
      <span class="spacer"></span>
      <button class="danger" id="delete-topic">Delete topic</button>
    </div>
    <section class="kpis">
      <div class="card kpi"><div class="label">Records stored</div><div class="value" id="kpi-records">–</div></div>
      <div class="card kpi"><div class="label">Size</div><div class="value" id="kpi-size">–</div></div>
      <div class="card kpi"><div class="label">Records / s</div><div class="value" id="kpi-rate">–</div></div>
      <div class="card kpi"><div class="label">Bytes / s</div><div class="value" id="kpi-bytes">–</div></div>
    </section>
    <section class="grid grid-3 mb-18">
      <div class="card">
        <div class="card-head">
          <h2>Live tail</h2><span class="pill pill-good" id="tail-state">live</span>
          <span class="subtle" id="tail-count"></span><span class="spacer"></span>
          <button id="tail-pause">Pause</button><button id="tail-clear">Clear</button>
        </div>
        <div class="card-body flush tail">
          <table><thead><tr><th>Partition</th><th class="num">Offset</th><th>Time</th><th>Key</th><th>Value</th></tr></thead>
          <tbody id="tail-body"><tr class="placeholder"><td colspan="5" class="empty">Waiting for new records…</td></tr></tbody></table>
        </div>
      </div>
      <div class="card">
        <div class="card-head"><h2>Produce a record</h2></div>
        <form class="card-body" id="produce-form" autocomplete="off">
          <div class="row">
            <div class="field"><label for="produce-partition">Partition</label>
              <select id="produce-partition"><option value="">any (partitioner)</option></select></div>
            <div class="field"><label for="produce-format">Format</label>
              <select id="produce-format"><option value="json">JSON</option><option value="text">Text</option></select></div>
          </div>
          <div class="field"><label for="produce-key">Key (optional)</label><input id="produce-key" placeholder="order-42"></div>
          <div class="field"><label for="produce-value">Value</label><textarea id="produce-value">{"hello": "sluice"}</textarea></div>
          <div class="actions"><button class="primary" id="produce-submit" type="submit">Produce</button>
            <span class="subtle mono" id="produce-result"></span></div>
        </form>
      </div>
    </section>
    <section class="grid grid-2 mb-18">
      <div class="card">
        <div class="card-head"><h2>Partitions</h2></div>
        <div class="card-body flush"><table>
          <thead><tr><th>Partition</th><th class="num">Beginning</th><th class="num">End</th><th class="num">Records</th><th class="num">Size</th></tr></thead>
          <tbody id="partitions-body"></tbody></table></div>
      </div>
      <div class="card"><div class="chart" id="chart-topic"></div></div>
    </section>
    <section class="card">
      <div class="card-head">
        <h2>Message browser</h2><span class="spacer"></span>
        <form class="inline" id="browse-form">
          <select id="browse-partition" aria-label="Partition"></select>
          <select id="browse-mode" aria-label="Start">
            <option value="newest">Newest first</option><option value="offset">From offset</option><option value="timestamp">From time</option>
          </select>
          <input id="browse-input" placeholder="offset" class="w-190" hidden>
          <button class="primary" type="submit">Load</button>
          <button type="button" id="browse-older">Older</button>
          <button type="button" id="browse-newer">Newer</button>
        </form>
      </div>
      <div class="card-body flush">
        <div class="card-body border-bottom"><span class="pill pill-muted scan-state" id="browse-state">idle</span>
          <span class="subtle" id="browse-range"></span></div>
        <div class="tail"><table><thead><tr><th class="num">Offset</th><th>Timestamp</th><th>Key</th><th>Value</th><th>Headers</th></tr></thead>
        <tbody id="browse-body"></tbody></table></div>
      </div>
    </section>`;

  const $ = (selector) => root.querySelector(selector);
  let partitions = [];
  let paused = false;
  let received = 0;
  const chart = new RollingChart($('#chart-topic'), 'Records per second', 'records');

  // --- live tail: credit-based. Records are credited back only once shown, so while paused the server stops
  // after the outstanding credit (at most TAIL_CREDIT records held here) instead of streaming into a hidden buffer.
  const tailId = 'tail-' + Math.random().toString(36).slice(2, 8);
  let held = [];
  const tail = socket.subscribe(tailId, name, { from: 'latest', credit: TAIL_CREDIT, max_records: 100 }, (frame) => {
    if (frame.type === 'records') {
      if (paused) {
        held.push(...frame.records);
        $('#tail-state').textContent = `paused · ${num(held.length)} waiting`;
        return;
      }
      received += frame.records.length;
      appendTail(frame.records);
      tail.credit(frame.records.length);
    } else if (frame.type === 'error') {
      $('#tail-state').className = 'pill pill-bad';
      $('#tail-state').textContent = frame.message;
    }
  });

  function appendTail(records) {
    const body = $('#tail-body');
    body.querySelector('tr.placeholder')?.remove();
    for (const r of records) {
      const row = document.createElement('tr');
      row.className = 'fresh';
      row.innerHTML = `<td>${r.partition}</td><td class="num">${r.offset}</td><td class="mono">${time(r.timestamp)}</td>
        <td class="mono">${esc(show(r.key))}</td><td class="value">${esc(show(r.value))}</td>`;
      body.prepend(row);
    }
    while (body.children.length > TAIL_ROWS) body.lastElementChild.remove();
    $('#tail-count').textContent = `${num(received)} received`;
  }

  $('#tail-pause').addEventListener('click', () => {
    paused = !paused;
    $('#tail-pause').textContent = paused ? 'Resume' : 'Pause';
    $('#tail-state').className = paused ? 'pill pill-warn' : 'pill pill-good';
    $('#tail-state').textContent = paused ? 'paused' : 'live';
    if (!paused && held.length) {
      const shown = held;
      held = [];
      received += shown.length;
      appendTail(shown);
      tail.credit(shown.length);
    }
  });
  $('#tail-clear').addEventListener('click', () => {
    $('#tail-body').innerHTML = '<tr class="placeholder"><td colspan="5" class="empty">Waiting for new records…</td></tr>';
  });

  // --- produce over the WebSocket ---
  $('#produce-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const format = $('#produce-format').value;
    const rawValue = $('#produce-value').value;
    let value = rawValue;
    if (format === 'json') {
      try { value = JSON.parse(rawValue); } catch { toast('Value is not valid JSON (choose Text to send it as a string)', true); return; }
    }
    const record = { value };
    const key = $('#produce-key').value;
    if (key) record.key = key;
    if ($('#produce-partition').value !== '') record.partition = Number($('#produce-partition').value);
    try {
      const result = await socket.produce(name, [record], format);
      const placed = result.offsets[0];
      $('#produce-result').textContent = `→ partition ${placed.partition}, offset ${placed.offset}`;
    } catch (error) {
      toast(error.message, true);
    }
  });

  $('#delete-topic').addEventListener('click', async () => {
    if (!confirm(`Delete topic ${name} and all its records?`)) return;
    try {
      await api.deleteTopic(name);
      toast(`Topic ${name} deleted`);
      navigate('#/');
    } catch (error) {
      toast(error.message, true);
    }
  });

  // --- statistics ---
  const stop = socket.onStats((frame) => {
    const t = frame.topics.find((x) => x.topic === name);
    if (!t) return;
    partitions = t.partitions;
    const stored = partitions.reduce((s, p) => s + (p.end_offset - p.beginning_offset), 0);
    $('#kpi-records').textContent = num(stored);
    $('#kpi-size').textContent = bytes(partitions.reduce((s, p) => s + p.size_bytes, 0));
    $('#kpi-rate').textContent = rate(t.records_per_sec);
    $('#kpi-bytes').textContent = bytes(t.bytes_per_sec);
    $('#topic-partitions').textContent = `${partitions.length} partition${partitions.length === 1 ? '' : 's'}`;
    $('#partitions-body').innerHTML = partitions.map((p) => `<tr><td>${p.partition}</td>
      <td class="num">${num(p.beginning_offset)}</td><td class="num">${num(p.end_offset)}</td>
      <td class="num">${num(p.end_offset - p.beginning_offset)}</td><td class="num">${bytes(p.size_bytes)}</td></tr>`).join('');
    fillPartitionSelects();
    if (frame.time) chart.push(frame.time, { [name]: t.records_per_sec });
  });

  function fillPartitionSelects() {
    for (const [selector, any] of [['#produce-partition', true], ['#browse-partition', false]]) {
      const select = $(selector);
      const wanted = (any ? 1 : 0) + partitions.length;
      if (select.options.length === wanted) continue;
      const current = select.value;
      select.innerHTML = (any ? '<option value="">any (partitioner)</option>' : '')
        + partitions.map((p) => `<option value="${p.partition}">partition ${p.partition}</option>`).join('');
      if (current !== '') select.value = current;
      if (!any && !browser.loaded) loadNewest();
    }
  }

  // --- message browser: pages of the partition, newest first by default ---
  const browser = { from: 0, to: 0, loaded: false };

  $('#browse-mode').addEventListener('change', () => {
    const mode = $('#browse-mode').value;
    $('#browse-input').hidden = mode === 'newest';
    $('#browse-input').placeholder = mode === 'offset' ? 'offset' : 'YYYY-MM-DD HH:MM:SS or epoch ms';
  });
  $('#browse-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const mode = $('#browse-mode').value;
    if (mode === 'newest') loadNewest();
    else if (mode === 'offset') loadFrom(Number($('#browse-input').value || 0));
    else loadFromTime($('#browse-input').value);
  });
  $('#browse-partition').addEventListener('change', () => loadNewest());
  $('#browse-older').addEventListener('click', () => loadPage(Math.max(bounds().beginning, browser.from - PAGE)));
  $('#browse-newer').addEventListener('click', () => loadFrom(browser.to));

  function bounds() {
    const p = partitions.find((x) => x.partition === Number($('#browse-partition').value)) || { beginning_offset: 0, end_offset: 0 };
    return { beginning: p.beginning_offset, end: p.end_offset };
  }

  function setState(kind, text) {
    $('#browse-state').className = `pill scan-state ${kind}`;
    $('#browse-state').textContent = text;
  }

  function loadNewest() {
    browser.loaded = true;
    return loadPage(Math.max(bounds().beginning, bounds().end - PAGE));
  }

  function loadFrom(offset) {
    return loadPage(offset);
  }

  async function loadFromTime(text) {
    const ms = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Date.parse(text.trim().replace(' ', 'T') + (text.includes('Z') ? '' : 'Z'));
    if (Number.isNaN(ms)) { toast('Enter a time like 2026-01-31 12:00:00 (UTC) or epoch milliseconds', true); return; }
    setState('pill-warn', 'still scanning…');
    try {
      const found = await api.offsetForTimestamp(name, Number($('#browse-partition').value), ms);
      await loadPage(found.offset);
    } catch (error) {
      setState('pill-bad', error.message);
    }
  }

  async function loadPage(from) {
    const partition = Number($('#browse-partition').value);
    if (Number.isNaN(partition)) return;
    setState('pill-warn', 'still scanning…');
    const { beginning, end } = bounds();
    const start = Math.max(beginning, from);
    const records = [];
    try {
      // A page may need several reads when batches are small; stop at the page size or the end of the log.
      let offset = start;
      while (records.length < PAGE && offset < end) {
        const got = await api.read(name, partition, offset, PAGE - records.length);
        if (!got.length) break;
        records.push(...got);
        offset = got[got.length - 1].offset + 1;
      }
    } catch (error) {
      setState('pill-bad', error.message);
      return;
    }
    browser.from = start;
    browser.to = records.length ? records[records.length - 1].offset + 1 : start;
    records.reverse();
    $('#browse-body').innerHTML = records.length === 0
      ? '<tr><td colspan="5" class="empty">No records in this range.</td></tr>'
      : records.map((r) => `<tr><td class="num">${r.offset}</td><td class="mono">${dateTime(r.timestamp)}</td>
          <td class="mono">${esc(show(r.key))}</td><td class="value">${esc(show(r.value))}</td>
          <td class="mono">${esc((r.headers || []).map((h) => h.key).join(', '))}</td></tr>`).join('');
    const atEnd = browser.to >= end;
    const atStart = browser.from <= beginning;
    setState(atEnd ? 'pill-good' : 'pill-muted', atEnd ? 'end of log' : 'more after this page');
    $('#browse-range').textContent = records.length
      ? `offsets ${num(browser.from)}–${num(browser.to - 1)} of ${num(beginning)}–${num(Math.max(beginning, end - 1))}${atStart ? ' · beginning of log' : ''}`
      : '';
    $('#browse-older').disabled = atStart;
    $('#browse-newer').disabled = atEnd;
  }

  return () => {
    tail.unsubscribe();
    stop();
    chart.destroy();
  };
}
