// Topics overview: KPIs, live throughput charts and the topic table, all fed by the WebSocket stats feed.
import { api } from './api.js';
import { RollingChart } from './charts.js';
import { esc, num, rate, bytes } from './format.js';

export function renderOverview(root, { socket, toast, navigate }) {
  root.innerHTML = `
    <div class="page-head">
      <h1>Topics</h1>
      <span class="subtle" id="sample-time"></span>
      <span class="spacer"></span>
      <form id="create-topic" class="inline" autocomplete="off">
        <input id="create-topic-name" placeholder="new-topic-name" required pattern="[a-zA-Z0-9._\\-]+" maxlength="249" aria-label="Topic name">
        <input id="create-topic-partitions" type="number" min="1" max="1000" value="3" class="w-80" aria-label="Partitions" title="Partitions">
        <button id="create-topic-submit" class="primary" type="submit">Create topic</button>
      </form>
    </div>
    <section class="kpis">
      <div class="card kpi"><div class="label">Topics</div><div class="value" id="kpi-topics">–</div></div>
      <div class="card kpi"><div class="label">Partitions</div><div class="value" id="kpi-partitions">–</div></div>
      <div class="card kpi"><div class="label">Records / s</div><div class="value" id="kpi-rate">–</div></div>
      <div class="card kpi"><div class="label">Bytes / s</div><div class="value" id="kpi-bytes">–</div></div>
    </section>
    <section class="grid grid-2 mb-18">
      <div class="card"><div class="chart" id="chart-records"></div></div>
      <div class="card"><div class="chart" id="chart-bytes"></div></div>
    </section>
    <section class="card">
      <div class="card-head"><h2>All topics</h2><span class="spacer"></span><span class="subtle">live, from the statistics stream</span></div>
      <div class="card-body flush">
        <table>
          <thead><tr>
            <th>Topic</th><th class="num">Partitions</th><th class="num">Records</th><th class="num">End offsets</th>
            <th class="num">Size</th><th class="num">Records/s</th><th class="num">Bytes/s</th>
          </tr></thead>
          <tbody id="topics-body"><tr><td colspan="7" class="empty">Waiting for statistics…</td></tr></tbody>
        </table>
      </div>
    </section>`;

  const recordsChart = new RollingChart(root.querySelector('#chart-records'), 'Records per second', 'records');
  const bytesChart = new RollingChart(root.querySelector('#chart-bytes'), 'Bytes per second', 'bytes');
  const body = root.querySelector('#topics-body');

  body.addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-topic]');
    if (row) navigate(`#/topics/${encodeURIComponent(row.dataset.topic)}`);
  });

  root.querySelector('#create-topic').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = root.querySelector('#create-topic-name').value.trim();
    const partitions = Number(root.querySelector('#create-topic-partitions').value || 1);
    try {
      await api.createTopic(name, partitions);
      toast(`Topic ${name} created with ${partitions} partition${partitions === 1 ? '' : 's'}`);
      root.querySelector('#create-topic-name').value = '';
    } catch (error) {
      toast(error.message, true);
    }
  });

  const stop = socket.onStats((frame) => {
    const topics = frame.topics;
    let partitions = 0, recordsPerSec = 0, bytesPerSec = 0;
    const recordSample = {}, byteSample = {};
    for (const t of topics) {
      partitions += t.partitions.length;
      recordsPerSec += t.records_per_sec;
      bytesPerSec += t.bytes_per_sec;
      recordSample[t.topic] = t.records_per_sec;
      byteSample[t.topic] = t.bytes_per_sec;
    }
    root.querySelector('#kpi-topics').textContent = num(topics.length);
    root.querySelector('#kpi-partitions').textContent = num(partitions);
    root.querySelector('#kpi-rate').textContent = rate(recordsPerSec);
    root.querySelector('#kpi-bytes').textContent = bytes(bytesPerSec);
    root.querySelector('#sample-time').textContent = frame.time ? 'updated ' + new Date(frame.time).toLocaleTimeString('en-GB') : '';
    if (frame.time) {
      recordsChart.push(frame.time, recordSample);
      bytesChart.push(frame.time, byteSample);
    }
    const html = topics.length === 0
      ? '<tr><td colspan="7" class="empty">No topics yet. Create one above.</td></tr>'
      : topics.map((t) => {
        const stored = t.partitions.reduce((s, p) => s + (p.end_offset - p.beginning_offset), 0);
        const end = t.partitions.reduce((s, p) => s + p.end_offset, 0);
        const size = t.partitions.reduce((s, p) => s + p.size_bytes, 0);
        return `<tr class="clickable" data-topic="${esc(t.topic)}">
          <td><a href="#/topics/${encodeURIComponent(t.topic)}">${esc(t.topic)}</a></td>
          <td class="num">${t.partitions.length}</td><td class="num">${num(stored)}</td><td class="num">${num(end)}</td>
          <td class="num">${bytes(size)}</td><td class="num">${rate(t.records_per_sec)}</td><td class="num">${bytes(t.bytes_per_sec)}/s</td>
        </tr>`;
      }).join('');
    // Re-render only on change, so a row under the pointer is not replaced every second.
    if (html !== body.dataset.html) {
      body.innerHTML = html;
      body.dataset.html = html;
    }
  });

  return () => {
    stop();
    recordsChart.destroy();
    bytesChart.destroy();
  };
}
