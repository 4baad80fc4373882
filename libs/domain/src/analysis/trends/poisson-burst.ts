import { poissonUpperTail } from './poisson-tail';
import { assertSeries, buildResult, type FlaggedHour, type TermBurstResult, type TermSeries } from './term-series';

/**
 * A term's hour against its own trailing baseline: the share of flagged items
 * carrying the term over the previous `baselineHours` (the current hour left
 * out, so a burst cannot raise its own bar) predicts a count for this hour's
 * flagged volume, and the hour is flagged when the observed count is
 * improbably high under Poisson(expected), at least `minCount`, and at least
 * `minLift` times expected. The p-value alone would flag a 20% rise of a
 * high-volume term (thousands of items make any rise significant); the lift
 * asks for a change an analyst would call a jump, and the minimum count keeps
 * a rare term's 0 → 2 from counting.
 */
export interface PoissonBurstOptions {
  /** Hours of trailing baseline, the current hour excluded. */
  readonly baselineHours: number;
  /** Hours of stream history (any volume) before an hour is judged at all. */
  readonly minHistoryHours: number;
  /** Upper-tail probability at or below which an hour is significant. */
  readonly alpha: number;
  readonly minCount: number;
  readonly minLift: number;
  /**
   * Pseudo-count of the term added to its baseline, so a term never seen
   * before has a small non-zero expected share (1 occurrence over the
   * window's volume) instead of an undefined one: 15 in an hour then stands
   * out by its p-value and lift, and 1 or 2 fall under `minCount`.
   */
  readonly priorCount: number;
  /**
   * Widen the test by the term's own over-dispersion in the window
   * (quasi-Poisson: the Pearson statistic per hour, at least 1, divides both
   * the count and the expectation). Hashtag counts swing more than Poisson
   * allows (daily habits, one busy poster); a term that swings that way every
   * day then needs a bigger jump before it counts. A term with no history
   * has a factor of 1. Measured: it cut false alarms on steady terms from 18
   * to 3 per thousand a week at alpha 1e-5, for half a point of detection.
   */
  readonly overdispersion: boolean;
  /**
   * How many hours before the current hour the over-dispersion window ends.
   * Unlagged, a growing burst's first hours inflated it and hid the hours
   * after: detection fell from 96% to 85% in the bench.
   */
  readonly dispersionLagHours: number;
}

function emptyWindow(): BaselineWindow {
  return { count: 0, total: 0, hours: 0, countSquaredOverTotal: 0 };
}

/**
 * Chosen by bench/trends.bench.ts (docs/benchmarks.md, "Emerging trends"): a
 * 48 h window spans two daily cycles, so a term's usual evening peak is in
 * its own baseline; alpha 1e-5 flagged about 3 steady terms per thousand a
 * week, where 1e-4 flagged 12 for one more burst in a hundred.
 */
export const POISSON_BURST_DEFAULTS: PoissonBurstOptions = {
  baselineHours: 48,
  minHistoryHours: 12,
  alpha: 1e-5,
  minCount: 5,
  minLift: 3,
  priorCount: 1,
  overdispersion: true,
  dispersionLagHours: 12,
};

/** Judges every hour as a stream would have seen it: hour t uses hours before t only. */
export function detectPoissonBursts(series: TermSeries, options: Partial<PoissonBurstOptions> = {}): TermBurstResult {
  const o = { ...POISSON_BURST_DEFAULTS, ...options };
  if (!(o.baselineHours >= 1)) throw new RangeError('baselineHours must be at least 1');
  assertSeries(series);
  const { counts, totals } = series;
  const flagged: FlaggedHour[] = [];
  // Two running windows: the baseline [t - baselineHours, t), and the same span
  // dispersionLagHours earlier for the over-dispersion, so a burst's own first
  // hours cannot widen the test that should catch its next ones.
  const w = emptyWindow();
  const lagged = emptyWindow();
  const add = (into: BaselineWindow, h: number, sign: 1 | -1) => {
    if (h < 0) return;
    into.count += sign * counts[h];
    into.total += sign * totals[h];
    into.hours += sign;
    if (totals[h] > 0) into.countSquaredOverTotal += (sign * counts[h] * counts[h]) / totals[h];
  };
  for (let t = 0; t < counts.length; t++) {
    if (t > 0) {
      add(w, t - 1, 1);
      add(w, t - 1 - o.baselineHours, -1);
      add(lagged, t - 1 - o.dispersionLagHours, 1);
      add(lagged, t - 1 - o.dispersionLagHours - o.baselineHours, -1);
    }
    const phi = o.overdispersion ? dispersion(lagged, o.priorCount) : 1;
    const hour = hourTest(counts[t], totals[t], w, phi, o);
    if (t >= o.minHistoryHours && hour) flagged.push({ hour: t, ...hour });
  }
  return buildResult(series, 'poisson', flagged);
}

/** Running sums over the baseline window, enough to test an hour without revisiting the window. */
export interface BaselineWindow {
  count: number;
  total: number;
  hours: number;
  /** Sum of count^2 / total over the window's hours: with the share it gives the Pearson statistic. */
  countSquaredOverTotal: number;
}

/** The test of one hour, exported for callers that keep their own running window. */
export function hourTest(
  count: number,
  total: number,
  window: Readonly<BaselineWindow>,
  phi: number,
  options: PoissonBurstOptions,
): Omit<FlaggedHour, 'hour'> | null {
  if (count < options.minCount || window.total <= 0 || total <= 0) return null;
  const share = (window.count + options.priorCount) / window.total;
  const expected = share * total;
  const lift = count / expected;
  if (lift < options.minLift) return null;
  // Dividing both sides by phi keeps the ratio and scales the variance by phi (quasi-Poisson).
  const pValue = poissonUpperTail(count / phi, expected / phi);
  if (pValue > options.alpha) return null;
  return { count, total, expected, lift, pValue, weight: null };
}

/**
 * Pearson chi-square per degree of freedom of the window's counts around
 * share * total, expanded so running sums suffice:
 * sum (c - s d)^2 / (s d) = sum(c^2 / d) / s - 2C + s D.
 */
export function dispersion(window: Readonly<BaselineWindow>, priorCount: number): number {
  if (window.hours < 2 || window.total <= 0) return 1;
  const share = (window.count + priorCount) / window.total;
  const pearson = window.countSquaredOverTotal / share - 2 * window.count + share * window.total;
  return Math.max(1, pearson / (window.hours - 1));
}
