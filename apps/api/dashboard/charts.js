// Small SVG charts for the analysts' dashboard: no library, nothing from the
// network. Every chart is an <svg data-chart="name" role="img"> with a title
// and a description, and every drawn data point carries data-value (the
// number it shows, unrounded), so a test can check a chart against the API.
// Colours and sizes are presentation attributes, never inline styles: the
// page's Content-Security-Policy allows no inline style.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Okabe–Ito: told apart by readers with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#7F7F7F'];

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, x, y, content, attrs = {}) {
  const node = el('text', { x, y, ...attrs }, parent);
  node.textContent = content;
  return node;
}

/** A tooltip that screen readers and mouse users both get. */
function titled(node, content) {
  el('title', {}, node).textContent = content;
  return node;
}

function root(name, label, width, height, description) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, 'data-chart': name, role: 'img', 'aria-label': label, class: 'chart', preserveAspectRatio: 'xMinYMin meet' });
  el('title', {}, svg).textContent = label;
  if (description) el('desc', {}, svg).textContent = description;
  return svg;
}

/** The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1): a round top for an axis of counts. */
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** `count` + 1 evenly spaced ticks from min to max. */
export function ticks(min, max, count = 4) {
  return Array.from({ length: count + 1 }, (_, i) => min + ((max - min) * i) / count);
}

/** Which of `n` category labels to print so that about `room` of them fit. */
export function labelStep(n, room = 8) {
  return Math.max(1, Math.ceil(n / room));
}

export const formatPercent = (v) => (isNumber(v) ? `${(v * 100).toFixed(v === 0 || v === 1 ? 0 : 1)}%` : 'n/a');
export const formatNumber = (v) => (isNumber(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : 'n/a');

function legend(svg, series, x, y) {
  const g = el('g', { class: 'legend', 'aria-hidden': 'true' }, svg);
  let offset = x;
  series.forEach((s, k) => {
    el('rect', { x: offset, y: y - 9, width: 10, height: 10, fill: s.color ?? PALETTE[k % PALETTE.length] }, g);
    text(g, offset + 14, y, s.label, { 'font-size': 11 });
    // No layout pass in a detached SVG: an average glyph width places the next entry.
    offset += 24 + s.label.length * 6.2;
  });
}

/** Horizontal grid lines with their labels, and the x baseline. */
function yAxis(svg, box, max, format) {
  const g = el('g', { class: 'axis', 'aria-hidden': 'true' }, svg);
  for (const tick of ticks(0, max)) {
    const y = box.bottom - (tick / max) * (box.bottom - box.top);
    el('line', { x1: box.left, x2: box.right, y1: y, y2: y, stroke: tick === 0 ? '#555' : '#ddd', 'stroke-width': 1 }, g);
    text(g, box.left - 6, y + 4, format(tick), { 'text-anchor': 'end', 'font-size': 10 });
  }
}

function xLabels(svg, box, categories, xOf) {
  const g = el('g', { class: 'axis', 'aria-hidden': 'true' }, svg);
  const step = labelStep(categories.length);
  categories.forEach((c, i) => {
    if (i % step === 0 || i === categories.length - 1) text(g, xOf(i), box.bottom + 16, shortLabel(c), { 'text-anchor': 'middle', 'font-size': 10 });
  });
}

/** 2026-12-01 → 12-01: the year is in the period already. */
const shortLabel = (c) => (/^\d{4}-\d{2}-\d{2}$/.test(c) ? c.slice(5) : c);

/**
 * Several series over the same categories (days), one line each, with a
 * legend; a null value leaves a gap. Points: <circle data-value data-series data-x>.
 */
export function lineChart({ name, label, description, categories, series, yMax, format = formatNumber }) {
  const width = 640;
  const height = 260;
  const box = { left: 52, right: width - 16, top: 30, bottom: height - 30 };
  const svg = root(name, label, width, height, description);
  const values = series.flatMap((s) => s.values).filter(isNumber);
  const max = yMax ?? niceMax(Math.max(0, ...values));
  const n = categories.length;
  const xOf = (i) => (n <= 1 ? (box.left + box.right) / 2 : box.left + (i * (box.right - box.left)) / (n - 1));
  const yOf = (v) => box.bottom - (Math.min(v, max) / max) * (box.bottom - box.top);
  yAxis(svg, box, max, format);
  xLabels(svg, box, categories, xOf);
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    const g = el('g', { class: 'series', 'data-series': s.key }, svg);
    let d = '';
    let drawing = false;
    s.values.forEach((v, i) => {
      if (!isNumber(v)) return void (drawing = false);
      d += `${drawing ? 'L' : 'M'}${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`;
      drawing = true;
    });
    if (d) el('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round' }, g);
    s.values.forEach((v, i) => {
      if (!isNumber(v)) return;
      const point = el('circle', { cx: xOf(i).toFixed(1), cy: yOf(v).toFixed(1), r: n > 40 ? 2.5 : 3.5, fill: color, 'data-value': v, 'data-series': s.key, 'data-x': categories[i] }, g);
      titled(point, `${s.label}, ${categories[i]}: ${format(v)}`);
    });
  });
  legend(svg, series, box.left, 16);
  return svg;
}

/**
 * Counts per category stacked by series (causes per day), with a legend.
 * Bars: <rect data-value data-series data-x> for each non-zero count.
 */
export function stackedBarChart({ name, label, description, categories, series }) {
  const width = 640;
  const height = 260;
  const box = { left: 52, right: width - 16, top: 30, bottom: height - 30 };
  const svg = root(name, label, width, height, description);
  const sums = categories.map((_, i) => series.reduce((sum, s) => sum + (isNumber(s.values[i]) ? s.values[i] : 0), 0));
  const max = niceMax(Math.max(0, ...sums));
  const band = (box.right - box.left) / Math.max(1, categories.length);
  const barWidth = Math.max(1, band * 0.72);
  const xOf = (i) => box.left + band * i + band / 2;
  const scale = (v) => (v / max) * (box.bottom - box.top);
  yAxis(svg, box, max, formatNumber);
  xLabels(svg, box, categories, xOf);
  const g = el('g', { class: 'bars' }, svg);
  categories.forEach((category, i) => {
    let base = box.bottom;
    series.forEach((s, k) => {
      const v = s.values[i];
      if (!isNumber(v) || v <= 0) return;
      const h = scale(v);
      base -= h;
      const bar = el('rect', { x: (xOf(i) - barWidth / 2).toFixed(1), y: base.toFixed(1), width: barWidth.toFixed(1), height: h.toFixed(1), fill: s.color ?? PALETTE[k % PALETTE.length], 'data-value': v, 'data-series': s.key, 'data-x': category }, g);
      titled(bar, `${s.label}, ${category}: ${v}`);
    });
  });
  legend(svg, series, box.left, 16);
  return svg;
}

/**
 * One horizontal bar per row over [min, max] (a negative value grows left of
 * zero), with an optional interval drawn as a whisker (Wilson intervals).
 * Bars: <rect data-value [data-lower data-upper] data-label>; a null value
 * is written as n/a and draws no bar.
 */
export function barChart({ name, label, description, rows, min = 0, max, format = formatNumber, color = PALETTE[0] }) {
  const width = 640;
  const rowHeight = 24;
  const box = { left: 230, right: width - 70, top: 10, bottom: 10 + rows.length * rowHeight };
  const height = box.bottom + 24;
  const svg = root(name, label, width, height, description);
  const top = max ?? niceMax(Math.max(0, ...rows.map((r) => (isNumber(r.upper) ? r.upper : r.value)).filter(isNumber)));
  const xOf = (v) => box.left + ((Math.max(min, Math.min(top, v)) - min) / (top - min)) * (box.right - box.left);
  const zero = xOf(Math.max(min, 0));
  const axis = el('g', { class: 'axis', 'aria-hidden': 'true' }, svg);
  for (const tick of ticks(min, top)) {
    el('line', { x1: xOf(tick), x2: xOf(tick), y1: box.top, y2: box.bottom, stroke: tick === 0 ? '#555' : '#e4e4e4', 'stroke-width': 1 }, axis);
    text(axis, xOf(tick), box.bottom + 14, format(tick), { 'text-anchor': 'middle', 'font-size': 10 });
  }
  const g = el('g', { class: 'bars' }, svg);
  rows.forEach((row, i) => {
    const y = box.top + i * rowHeight;
    text(g, box.left - 8, y + rowHeight / 2 + 4, truncate(row.label, 36), { 'text-anchor': 'end', 'font-size': 11 });
    if (!isNumber(row.value)) {
      text(g, zero + 6, y + rowHeight / 2 + 4, 'n/a', { 'font-size': 11, class: 'muted' });
      return;
    }
    const end = xOf(row.value);
    const bar = el('rect', {
      x: Math.min(zero, end).toFixed(1),
      y: (y + 5).toFixed(1),
      width: Math.max(1, Math.abs(end - zero)).toFixed(1),
      height: rowHeight - 10,
      fill: row.color ?? color,
      'data-value': row.value,
      'data-lower': isNumber(row.lower) ? row.lower : undefined,
      'data-upper': isNumber(row.upper) ? row.upper : undefined,
      'data-label': row.label,
    }, g);
    const interval = isNumber(row.lower) && isNumber(row.upper) ? ` (95% interval ${format(row.lower)}–${format(row.upper)})` : '';
    titled(bar, `${row.label}: ${format(row.value)}${interval}${row.note ? `; ${row.note}` : ''}`);
    let valueX = Math.max(zero, end);
    if (isNumber(row.lower) && isNumber(row.upper)) {
      const mid = y + rowHeight / 2;
      const whisker = el('g', { class: 'whisker', 'aria-hidden': 'true' }, g);
      el('line', { x1: xOf(row.lower), x2: xOf(row.upper), y1: mid, y2: mid, stroke: '#222', 'stroke-width': 1.5 }, whisker);
      for (const v of [row.lower, row.upper]) el('line', { x1: xOf(v), x2: xOf(v), y1: mid - 5, y2: mid + 5, stroke: '#222', 'stroke-width': 1.5 }, whisker);
      valueX = Math.max(valueX, xOf(row.upper));
    }
    text(g, valueX + 6, y + rowHeight / 2 + 4, format(row.value), { 'font-size': 11 });
  });
  return svg;
}

const truncate = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A tiny bar per hour (an alert's hourly counts), its flagged hours in the
 * accent colour. Bars: <rect data-value data-x data-flagged>.
 */
export function sparkline({ name, label, hours }) {
  const width = 180;
  const height = 40;
  const svg = root(name, label, width, height);
  const max = Math.max(1, ...hours.map((h) => h.count));
  const band = width / Math.max(1, hours.length);
  hours.forEach((h, i) => {
    const barHeight = Math.max(h.count > 0 ? 1 : 0, (h.count / max) * (height - 4));
    const bar = el('rect', {
      x: (i * band).toFixed(2),
      y: (height - barHeight).toFixed(2),
      width: Math.max(0.5, band - 0.5).toFixed(2),
      height: barHeight.toFixed(2),
      fill: h.flagged ? PALETTE[5] : PALETTE[6],
      'data-value': h.count,
      'data-x': h.at,
      'data-flagged': h.flagged ? 'true' : 'false',
    }, svg);
    titled(bar, `${h.at}: ${h.count}${h.flagged ? ' (flagged)' : ''}`);
  });
  el('line', { x1: 0, x2: width, y1: height - 0.5, y2: height - 0.5, stroke: '#999', 'stroke-width': 1, 'aria-hidden': 'true' }, svg);
  return svg;
}
