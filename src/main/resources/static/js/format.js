// Small formatting helpers shared by the views.

export function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export function num(n) {
  return Number(n ?? 0).toLocaleString('en-US');
}

export function rate(n) {
  const v = Number(n ?? 0);
  if (v >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (v >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  return v >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(1);
}

export function bytes(n) {
  let v = Number(n ?? 0);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
}

export function time(ms) {
  if (ms == null || ms < 0) return '';
  const d = new Date(ms);
  return d.toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function dateTime(ms) {
  if (ms == null || ms < 0) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function show(value) {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
