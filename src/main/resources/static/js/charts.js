// Rolling throughput charts (uPlot from its WebJar): one series per topic, the last few minutes.
import uPlot from '../webjars/uplot/dist/uPlot.esm.js';
import { rate, bytes } from './format.js';

const COLORS = ['#2563eb', '#059669', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
const WINDOW = 180;

export class RollingChart {
  constructor(element, title, unit) {
    this.element = element;
    this.title = title;
    this.unit = unit;
    this.names = [];
    this.times = [];
    this.values = new Map();
    this.plot = null;
    this.resize = () => this.plot && this.plot.setSize(this.size());
    window.addEventListener('resize', this.resize);
  }

  size() {
    return { width: Math.max(280, this.element.clientWidth - 12), height: 200 };
  }

  /** Adds one sample: {topicName: value}. */
  push(time, sample) {
    const names = Object.keys(sample).sort();
    const changed = names.length !== this.names.length || names.some((n, i) => n !== this.names[i]);
    this.times.push(time / 1000);
    for (const name of names) {
      if (!this.values.has(name)) this.values.set(name, new Array(this.times.length - 1).fill(null));
    }
    for (const [name, list] of this.values) list.push(name in sample ? sample[name] : null);
    if (this.times.length > WINDOW) {
      this.times.shift();
      for (const list of this.values.values()) list.shift();
    }
    // Exposed for end-to-end tests and curious operators: the newest total shown by this chart.
    this.element.dataset.latest = String(this.latestTotal());
    this.element.dataset.samples = String(this.times.length);
    this.element.dataset.peak = String(Math.max(0, ...[...this.values.values()].flat().filter((v) => v != null)));
    if (changed || !this.plot) {
      this.names = names;
      this.build();
    } else {
      this.plot.setData(this.data());
    }
  }

  data() {
    return [this.times, ...this.names.map((name) => this.values.get(name))];
  }

  build() {
    if (this.plot) this.plot.destroy();
    const formatter = this.unit === 'bytes' ? (v) => bytes(v) + '/s' : (v) => rate(v) + '/s';
    const series = [{}, ...this.names.map((name, i) => ({
      label: name,
      stroke: COLORS[i % COLORS.length],
      fill: COLORS[i % COLORS.length] + '14',
      width: 2,
      value: (u, v) => (v == null ? '–' : formatter(v)),
    }))];
    this.plot = new uPlot({
      ...this.size(),
      title: this.title,
      series,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      axes: [
        {
          stroke: '#64748b',
          grid: { stroke: '#eef2f7' },
          values: (u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString('en-GB', { hour12: false })),
        },
        { stroke: '#64748b', grid: { stroke: '#eef2f7' }, size: 78, values: (u, ticks) => ticks.map(formatter) },
      ],
      scales: {
        // At least a minute of history on screen, so the first samples do not stretch across the whole width.
        x: { time: true, range: (u, min, max) => [Math.min(min, max - 60), max] },
        y: { range: (u, min, max) => [0, Math.max(this.unit === 'bytes' ? 1024 : 10, max * 1.15)] },
      },
    }, this.data(), this.element);
  }

  /** The total of the newest sample across topics (tests and KPIs read it). */
  latestTotal() {
    let total = 0;
    for (const list of this.values.values()) total += list[list.length - 1] ?? 0;
    return total;
  }

  destroy() {
    window.removeEventListener('resize', this.resize);
    if (this.plot) this.plot.destroy();
  }
}
