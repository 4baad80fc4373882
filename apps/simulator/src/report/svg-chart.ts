/**
 * A small SVG line chart for the simulation report: series of (x, y)
 * points, axes with ticks, vertical markers (the trend's start, a
 * promotion), and a legend. Plain SVG text, no dependencies, so the plots
 * sit beside the Markdown and render on GitHub.
 */
export interface ChartSeries {
  name: string;
  points: [number, number][];
  colour?: string;
}

export interface ChartMarker {
  x: number;
  label: string;
  colour?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  markers?: ChartMarker[];
  /** Fixed y range; otherwise from 0 to the data's maximum. */
  yMax?: number;
  xMin?: number;
  xMax?: number;
  /** Formats y tick labels (e.g. as percentages). */
  yFormat?: (y: number) => string;
  width?: number;
  height?: number;
}

/** About the width of a character of the charts' 12 px sans-serif, to keep marker labels apart. */
const LABEL_CHAR_WIDTH = 6.5;
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Round tick steps: 1, 2 or 5 times a power of ten, about `count` of them over `span`. */
export function niceStep(span: number, count = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  const margin = { top: 40, right: 20, bottom: 48, left: 64 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const xs = options.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = options.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMin = options.xMin ?? (xs.length ? Math.min(...xs) : 0);
  const xMax = Math.max(options.xMax ?? (xs.length ? Math.max(...xs) : 1), xMin + 1e-9);
  const yMax = options.yMax ?? Math.max(1e-9, ...ys) * 1.05;
  const x = (v: number) => margin.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => margin.top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const yFormat = options.yFormat ?? ((v: number) => String(Math.round(v * 100) / 100));
  const out: string[] = [];
  out.push(...chartFrame(width, height, options.title));
  // Grid and ticks.
  out.push(...yGrid(yMax, y, yFormat, margin.left, plotW));
  const xStep = niceStep(xMax - xMin, 8);
  for (let v = Math.ceil(xMin / xStep) * xStep; v <= xMax + 1e-9; v += xStep) {
    out.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="#6b7280"/>`);
    out.push(`<text x="${x(v).toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle" fill="#374151">${escape(String(Math.round(v * 100) / 100))}</text>`);
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#6b7280"/>`);
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle" fill="#111827">${escape(options.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#111827">${escape(options.yLabel)}</text>`);
  // Each marker's label on the first row where it clears the labels already there: markers at the same hour (the
  // trend's start and a promotion) would otherwise print one over the other.
  const rowEnds: number[] = [];
  for (const marker of [...(options.markers ?? [])].sort((a, b) => a.x - b.x)) {
    if (marker.x < xMin || marker.x > xMax) continue;
    const colour = marker.colour ?? '#6b7280';
    const left = x(marker.x) + 4;
    let row = rowEnds.findIndex((end) => left > end);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = left + marker.label.length * LABEL_CHAR_WIDTH;
    out.push(`<line x1="${x(marker.x).toFixed(1)}" x2="${x(marker.x).toFixed(1)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="${colour}" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${left.toFixed(1)}" y="${margin.top + 14 + row * 14}" fill="${colour}">${escape(marker.label)}</text>`);
  }
  options.series.forEach((series, i) => {
    const colour = series.colour ?? PALETTE[i % PALETTE.length];
    if (series.points.length > 0) {
      const d = series.points.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${x(px).toFixed(1)} ${y(py).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
      if (series.points.length <= 60) for (const [px, py] of series.points) out.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="2.5" fill="${colour}"/>`);
    }
    const lx = margin.left + 10 + i * 170;
    out.push(`<rect x="${lx}" y="${margin.top + plotH - 18}" width="12" height="3" fill="${colour}"/>`);
    out.push(`<text x="${lx + 16}" y="${margin.top + plotH - 13}" fill="#111827">${escape(series.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  categories: string[];
  /** One value per category per group; null leaves the bar out. */
  groups: { name: string; values: (number | null)[]; colour?: string }[];
  yMax?: number;
  yFormat?: (y: number) => string;
  width?: number;
  height?: number;
}

/** Grouped bars per category (e.g. recall before and after a promotion, per policy). */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  const margin = { top: 40, right: 20, bottom: 70, left: 64 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const values = options.groups.flatMap((g) => g.values.filter((v): v is number => v !== null));
  const yMax = options.yMax ?? Math.max(1e-9, ...values) * 1.05;
  const y = (v: number) => margin.top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const yFormat = options.yFormat ?? ((v: number) => String(Math.round(v * 100) / 100));
  const band = plotW / Math.max(1, options.categories.length);
  const barW = (band * 0.8) / Math.max(1, options.groups.length);
  const out: string[] = [];
  out.push(...chartFrame(width, height, options.title));
  out.push(...yGrid(yMax, y, yFormat, margin.left, plotW));
  out.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#111827">${escape(options.yLabel)}</text>`);
  options.categories.forEach((category, c) => {
    const x0 = margin.left + c * band + band * 0.1;
    options.groups.forEach((group, g) => {
      const v = group.values[c];
      if (v === null || v === undefined) return;
      out.push(`<rect x="${(x0 + g * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(margin.top + plotH - y(v)).toFixed(1)}" fill="${group.colour ?? PALETTE[g % PALETTE.length]}"/>`);
    });
    out.push(`<text x="${(margin.left + c * band + band / 2).toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#374151">${escape(category.length > 18 ? `${category.slice(0, 17)}…` : category)}</text>`);
  });
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#6b7280"/>`);
  options.groups.forEach((group, g) => {
    const lx = margin.left + g * 170;
    out.push(`<rect x="${lx}" y="${height - 22}" width="12" height="12" fill="${group.colour ?? PALETTE[g % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 16}" y="${height - 12}" fill="#111827">${escape(group.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The opening of a chart: the svg element, a white background and the title. */
function chartFrame(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
}

/** Horizontal grid lines with their labels, a round step apart from 0 to `yMax`. */
function yGrid(yMax: number, y: (v: number) => number, yFormat: (v: number) => string, left: number, plotW: number): string[] {
  const out: string[] = [];
  const yStep = niceStep(yMax);
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#374151">${escape(yFormat(v))}</text>`);
  }
  return out;
}
