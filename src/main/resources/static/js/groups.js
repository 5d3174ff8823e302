// Consumer groups: members, assignment and per-partition lag, refreshed every second through the public API.
import { api } from './api.js';
import { esc, num } from './format.js';

const STATE_PILL = { STABLE: 'pill-good', PREPARING_REBALANCE: 'pill-warn', EMPTY: 'pill-muted', DEAD: 'pill-bad' };

export function renderGroups(root) {
  root.innerHTML = `
    <div class="page-head"><h1>Consumer groups</h1><span class="subtle" id="groups-time"></span></div>
    <div id="groups"><div class="card"><div class="empty">Loading…</div></div></div>`;
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const list = await api.groups();
      const names = (Array.isArray(list) ? list : list.groups || []).map((g) => (typeof g === 'string' ? g : g.group || g.name));
      const groups = await Promise.all(names.map((name) => api.group(name).catch(() => null)));
      render(groups.filter(Boolean));
      root.querySelector('#groups-time').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
    } catch (error) {
      root.querySelector('#groups').innerHTML = error.status === 404
        ? `<div class="card"><div class="empty">Consumer groups are not available on this server yet.</div></div>`
        : `<div class="card"><div class="empty">Could not load groups: ${esc(error.message)}</div></div>`;
    }
    if (!stopped) timer = setTimeout(refresh, 1000);
  }

  function render(groups) {
    if (!groups.length) {
      root.querySelector('#groups').innerHTML = '<div class="card"><div class="empty">No consumer groups yet.</div></div>';
      return;
    }
    root.querySelector('#groups').innerHTML = groups.map((g) => {
      const members = g.members || [];
      const partitions = g.partitions || g.offsets || [];
      const totalLag = partitions.reduce((s, p) => s + (p.lag ?? 0), 0);
      const maxLag = Math.max(1, ...partitions.map((p) => p.lag ?? 0));
      return `<section class="card mb-18" data-group="${esc(g.group || g.name)}">
        <div class="card-head"><h2>${esc(g.group || g.name)}</h2>
          <span class="pill ${STATE_PILL[g.state] || 'pill-muted'}">${esc((g.state || '').toLowerCase().replace('_', ' '))}</span>
          <span class="spacer"></span><span class="subtle">${members.length} member${members.length === 1 ? '' : 's'} · total lag <b class="group-lag">${num(totalLag)}</b></span></div>
        <div class="grid grid-2 gap-0">
          <div class="card-body flush"><table><thead><tr><th>Member</th><th>Assigned</th></tr></thead><tbody>
            ${members.map((m) => `<tr><td class="mono">${esc(m.instance_id || m.member_id || m.id)}</td>
              <td class="mono">${esc((m.assignment || m.assignments || []).map((a) => `${a.topic}-${a.partition}`).join(', '))}</td></tr>`).join('')
              || '<tr><td colspan="2" class="empty">No members</td></tr>'}
          </tbody></table></div>
          <div class="card-body flush"><table><thead><tr><th>Partition</th><th class="num">Committed</th><th class="num">End</th><th class="num">Lag</th><th></th></tr></thead><tbody>
            ${partitions.map((p) => `<tr><td class="mono">${esc(p.topic)}-${p.partition}</td><td class="num">${p.committed_offset == null ? '–' : num(p.committed_offset)}</td>
              <td class="num">${num(p.log_end_offset)}</td><td class="num">${num(p.lag)}</td>
              <td><div class="bar"><span data-width="${Math.round(100 * (p.lag ?? 0) / maxLag)}"></span></div></td></tr>`).join('')
              || '<tr><td colspan="5" class="empty">Nothing committed yet</td></tr>'}
          </tbody></table></div>
        </div></section>`;
    }).join('');
    // widths through the CSSOM: the Content-Security-Policy refuses inline style attributes
    root.querySelectorAll('.bar span[data-width]').forEach((bar) => { bar.style.width = `${bar.dataset.width}%`; });
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
