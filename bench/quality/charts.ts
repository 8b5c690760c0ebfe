import { el, line, niceTicks, svgDocument, text } from './svg.js';

/** A fixed colour per system: grey bounds, warm peers, cool Quell modes (in registry order). */
export function systemColors(systems: { name: string; group: string }[]): Map<string, string> {
  const palettes: Record<string, string[]> = {
    bound: ['#9e9e9e', '#424242'],
    peer: ['#e6550d', '#fdae6b', '#d62728', '#8c564b', '#e377c2', '#7f0000', '#ff1493'],
    quell: ['#1f77b4', '#2ca02c', '#17becf', '#9467bd', '#bcbd22', '#393b79', '#637939'],
  };
  const used: Record<string, number> = {};
  return new Map(systems.map((s) => {
    const p = palettes[s.group] ?? palettes.quell;
    const i = (used[s.group] = (used[s.group] ?? -1) + 1);
    return [s.name, p[i % p.length]];
  }));
}

export interface BarSeries {
  name: string;
  color: string;
  /** One value per group; NaN leaves a gap. */
  values: number[];
}

/** Legend rows of colour swatches and names, wrapped to `width`; returns the elements and the height used. */
function legend(items: { name: string; color: string; shape?: string }[], x0: number, y0: number, width: number): { body: string[]; height: number } {
  const body: string[] = [];
  let x = x0;
  let y = y0;
  for (const it of items) {
    const w = 26 + it.name.length * 7;
    if (x + w > x0 + width) {
      x = x0;
      y += 18;
    }
    body.push(el('rect', { x, y: y - 10, width: 12, height: 12, fill: it.color }), text(x + 16, y, it.name));
    x += w;
  }
  return { body, height: y - y0 + 18 };
}

/**
 * Grouped bars: one group per label, one bar per series, a dB axis with grid lines and a zero line.
 * Used for SI-SDR improvement per noise type for every system.
 */
export function groupedBarChart(o: { title: string; yLabel: string; groups: string[]; series: BarSeries[] }): string {
  const width = Math.max(760, 90 + o.groups.length * (o.series.length * 9 + 22));
  const left = 64;
  const right = 16;
  const plotW = width - left - right;
  const lg = legend(o.series, left, 44, plotW);
  const top = 44 + lg.height + 8;
  const plotH = 300;
  const height = top + plotH + 60;
  const values = o.series.flatMap((s) => s.values).filter(Number.isFinite);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const [lo, hi] = [ticks[0], ticks[ticks.length - 1]];
  const yOf = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const body = [text(width / 2, 22, o.title, { 'text-anchor': 'middle', 'font-size': 15, 'font-weight': 'bold' }), ...lg.body];
  for (const t of ticks) {
    body.push(line(left, yOf(t), left + plotW, yOf(t), { stroke: t === 0 ? '#000' : '#ddd', 'stroke-width': t === 0 ? 1.2 : 1 }));
    body.push(text(left - 6, yOf(t) + 4, `${t}`, { 'text-anchor': 'end' }));
  }
  body.push(text(16, top + plotH / 2, o.yLabel, { transform: `rotate(-90 16 ${top + plotH / 2})`, 'text-anchor': 'middle' }));
  const groupW = plotW / o.groups.length;
  const barW = Math.max(2, Math.min(16, (groupW - 14) / o.series.length));
  o.groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + (groupW - barW * o.series.length) / 2;
    o.series.forEach((s, si) => {
      const v = s.values[gi];
      if (!Number.isFinite(v)) return;
      const [y1, y2] = [yOf(Math.max(v, 0)), yOf(Math.min(v, 0))];
      body.push(el('rect', { x: x0 + si * barW, y: y1, width: barW - 1, height: Math.max(0.5, y2 - y1), fill: s.color }, `<title>${s.name}, ${g}: ${v.toFixed(2)}</title>`));
    });
    body.push(text(left + (gi + 0.5) * groupW, top + plotH + 18, g, { 'text-anchor': 'middle' }));
    if (gi > 0) body.push(line(left + gi * groupW, top, left + gi * groupW, top + plotH, { stroke: '#eee' }));
  });
  body.push(line(left, top, left, top + plotH));
  body.push(text(left + plotW / 2, top + plotH + 42, 'noise recording (all: mean over every case)', { 'text-anchor': 'middle' }));
  return svgDocument(width, height, body);
}

export interface ScatterPoint {
  label: string;
  color: string;
  x: number;
  y: number;
}

/**
 * Quality against speed: mean SI-SDR improvement (dB) against real-time factor on a log axis, one
 * labelled point per system, and a dashed line at 0 dB for the unprocessed input.
 */
export function speedQualityChart(o: { title: string; points: ScatterPoint[] }): string {
  const pts = o.points.filter((p) => p.x > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  const [width, left, right, top, plotH] = [760, 64, 150, 48, 360];
  const plotW = width - left - right;
  const height = top + plotH + 56;
  const xs = pts.map((p) => Math.log10(p.x));
  const [d0, d1] = [Math.floor(Math.min(...xs, -2)), Math.ceil(Math.max(...xs, 0))];
  const ticks = niceTicks(Math.min(0, ...pts.map((p) => p.y)), Math.max(1, ...pts.map((p) => p.y)));
  const [lo, hi] = [ticks[0], ticks[ticks.length - 1]];
  const xOf = (v: number) => left + ((Math.log10(v) - d0) / (d1 - d0)) * plotW;
  const yOf = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const body = [text(width / 2, 24, o.title, { 'text-anchor': 'middle', 'font-size': 15, 'font-weight': 'bold' })];
  for (const t of ticks) {
    body.push(line(left, yOf(t), left + plotW, yOf(t), { stroke: '#ddd' }), text(left - 6, yOf(t) + 4, `${t}`, { 'text-anchor': 'end' }));
  }
  for (let d = d0; d <= d1; d++) {
    const x = left + ((d - d0) / (d1 - d0)) * plotW;
    body.push(line(x, top, x, top + plotH, { stroke: '#ddd' }), text(x, top + plotH + 18, `${10 ** d >= 1 ? 10 ** d : (10 ** d).toFixed(-d)}`, { 'text-anchor': 'middle' }));
  }
  body.push(line(left, yOf(0), left + plotW, yOf(0), { stroke: '#666', 'stroke-dasharray': '5 4' }), text(left + plotW + 6, yOf(0) + 4, 'noisy input', { fill: '#666' }));
  body.push(line(left, top, left, top + plotH), line(left, top + plotH, left + plotW, top + plotH));
  body.push(text(left + plotW / 2, top + plotH + 42, 'real-time factor (processing s / audio s, log scale; left is faster)', { 'text-anchor': 'middle' }));
  body.push(text(16, top + plotH / 2, 'mean SI-SDR improvement (dB)', { transform: `rotate(-90 16 ${top + plotH / 2})`, 'text-anchor': 'middle' }));
  // Labels right of their points, top to bottom; one that would overlap a placed label moves down.
  const placed: { x0: number; x1: number; y: number }[] = [];
  for (const p of [...pts].sort((a, b) => b.y - a.y)) {
    const [x, y] = [xOf(p.x), yOf(p.y)];
    const box = { x0: x + 9, x1: x + 9 + p.label.length * 7, y: y + 4 };
    for (let moved = true; moved; ) {
      moved = false;
      for (const q of placed) {
        if (Math.abs(q.y - box.y) < 13 && box.x0 < q.x1 && q.x0 < box.x1) {
          box.y = q.y + 13;
          moved = true;
        }
      }
    }
    placed.push(box);
    body.push(el('circle', { cx: x, cy: y, r: 6, fill: p.color, stroke: '#000', 'stroke-width': 0.6 }, `<title>${p.label}: ${p.y.toFixed(2)} dB, RTF ${p.x.toPrecision(3)}</title>`));
    if (box.y - y - 4 > 6) body.push(line(x + 4, y + 3, box.x0 - 1, box.y - 4, { stroke: '#999', 'stroke-width': 0.8 }));
    body.push(text(box.x0, box.y, p.label));
  }
  return svgDocument(width, height, body);
}
