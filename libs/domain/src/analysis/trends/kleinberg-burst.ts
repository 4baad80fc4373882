import { assertSeries, buildResult, sum, type FlaggedHour, type TermBurstResult, type TermSeries } from './term-series';

/**
 * Kleinberg's burst automaton for batched data ("Bursty and Hierarchical
 * Structure in Streams", 2002, the enumerated variant): hour t has r_t
 * occurrences of the term among d_t flagged items. State i emits a term with
 * probability p_i = p_0 * s^i, where p_0 = R / D is the term's share over the
 * sequence. Staying in state i at hour t costs -ln(p_i^r (1 - p_i)^(d - r))
 * (the binomial coefficient is the same in every state and dropped), moving
 * up from i to j costs (j - i) * gamma * ln(n) over n hours, moving down is
 * free. The cheapest state sequence (Viterbi) is the answer: hours in a state
 * above 0 are a burst.
 */
export interface KleinbergOptions {
  /** Ratio of emission rates between successive states (s > 1). */
  readonly s: number;
  /** Cost of each step up, in units of ln(n). */
  readonly gamma: number;
  /** States including the base state 0; 2 is the two-state automaton. */
  readonly states: number;
  /**
   * Pseudo-count of the term added to R, as the Poisson detector's prior, so
   * that a sequence where the term never occurred still has p_0 > 0.
   */
  readonly priorCount: number;
}

export const KLEINBERG_DEFAULTS: KleinbergOptions = { s: 2, gamma: 1, states: 2, priorCount: 1 };

/** A maximal run of hours in a state above 0. `end` is inclusive. */
export interface BurstInterval {
  readonly start: number;
  readonly end: number;
  /** Highest state reached in the run. */
  readonly level: number;
  /** Sum over the run of cost(state 0) - cost(state held): how much better the burst explains it. */
  readonly weight: number;
}

export interface KleinbergSequence {
  /** The optimal state per hour. */
  readonly states: readonly number[];
  readonly intervals: readonly BurstInterval[];
  /** p_0, the base share the states scale from. */
  readonly baseShare: number;
}

/** Rates reach 1 only in degenerate cases (a term in every item); cap just below so ln(1 - p) stays finite. */
const MAX_SHARE = 1 - 1e-9;

/** Offline: the whole series at once, as in the paper. Bursts may start before the data that reveals them. */
export function kleinbergBursts(series: TermSeries, options: Partial<KleinbergOptions> = {}): KleinbergSequence {
  const o = checked(options);
  assertSeries(series);
  return viterbi(series.counts, series.totals, 0, series.counts.length, o);
}

export interface KleinbergStreamOptions extends KleinbergOptions {
  /** Hours the automaton sees at each step: the current hour and the ones before it. */
  readonly windowHours: number;
  readonly minHistoryHours: number;
  /** An hour is flagged only with at least this many occurrences, as in the Poisson detector. */
  readonly minCount: number;
  /**
   * And only at this lift over p_0 * d_t (0: the automaton alone decides). The
   * automaton has no floor of its own: at s = 2, any hour above about 1.44
   * times the base rate favours the burst state, which a high-volume term's
   * ordinary swings reach.
   */
  readonly minLift: number;
}

/**
 * The best of the settings bench/trends.bench.ts tried (docs/benchmarks.md):
 * the paper's s = 2, gamma = 1 flagged 69% of steady terms at least once a
 * week; a steeper s, a dearer step up and the Poisson detector's lift floor
 * bring that down to about 2% at the same detection.
 */
export const KLEINBERG_STREAM_DEFAULTS: KleinbergStreamOptions = {
  s: 4,
  gamma: 2,
  states: 2,
  priorCount: 1,
  windowHours: 49,
  minHistoryHours: 12,
  minCount: 5,
  minLift: 3,
};

/**
 * Online use, comparable with the Poisson detector: at every hour t the
 * automaton runs over the window ending at t (no hour after t), and t is
 * flagged when the optimal sequence ends in a burst state. The offline answer
 * would date a burst from its true start only because it has seen what came
 * after; an analyst's alert cannot.
 */
export function detectKleinbergBursts(
  series: TermSeries,
  options: Partial<KleinbergStreamOptions> = {},
): TermBurstResult {
  const o = { ...KLEINBERG_STREAM_DEFAULTS, ...options };
  checked(o);
  if (!(o.windowHours >= 2)) throw new RangeError('windowHours must be at least 2');
  assertSeries(series);
  const { counts, totals } = series;
  const flagged: FlaggedHour[] = [];
  for (let t = o.minHistoryHours; t < counts.length; t++) {
    // An hour below minCount is never flagged, whatever the window says: skip the Viterbi pass.
    if (counts[t] < o.minCount || totals[t] <= 0) continue;
    const from = Math.max(0, t + 1 - o.windowHours);
    const run = viterbi(counts, totals, from, t + 1, o);
    const state = run.states[run.states.length - 1];
    const expected = run.baseShare * totals[t];
    if (state === 0 || counts[t] < o.minLift * expected) continue;
    const gain = cost(counts[t], totals[t], run.baseShare, 0) - cost(counts[t], totals[t], run.baseShare, state, o.s);
    flagged.push({ hour: t, count: counts[t], total: totals[t], expected, lift: counts[t] / expected, pValue: null, weight: gain });
  }
  return buildResult(series, 'kleinberg', flagged);
}

function checked(options: Partial<KleinbergOptions>): KleinbergOptions {
  const o = { ...KLEINBERG_DEFAULTS, ...options };
  if (!(o.s > 1)) throw new RangeError('s must be greater than 1');
  if (!(o.gamma >= 0)) throw new RangeError('gamma must be non-negative');
  if (!Number.isInteger(o.states) || o.states < 2 || o.states > 16) {
    throw new RangeError('states must be an integer from 2 to 16');
  }
  return o;
}

function cost(r: number, d: number, baseShare: number, state: number, s = 1): number {
  const p = Math.min(MAX_SHARE, baseShare * Math.pow(s, state));
  return -(r * Math.log(p) + (d - r) * Math.log1p(-p));
}

/** Viterbi over hours [from, to). */
function viterbi(
  counts: readonly number[],
  totals: readonly number[],
  from: number,
  to: number,
  o: KleinbergOptions,
): KleinbergSequence {
  const n = to - from;
  const k = o.states;
  const volume = sum(totals, from, to);
  if (n <= 0 || volume <= 0) return { states: new Array<number>(Math.max(0, n)).fill(0), intervals: [], baseShare: 0 };
  const baseShare = Math.min(MAX_SHARE, (sum(counts, from, to) + o.priorCount) / volume);
  const logP: number[] = [];
  const log1mP: number[] = [];
  for (let i = 0; i < k; i++) {
    const p = Math.min(MAX_SHARE, baseShare * Math.pow(o.s, i));
    logP.push(Math.log(p));
    log1mP.push(Math.log1p(-p));
  }
  const step = o.gamma * Math.log(n);
  // back[t * k + j]: the state before j at hour t on the cheapest path into it.
  const back = new Int8Array(n * k);
  let prev = new Float64Array(k);
  let next = new Float64Array(k);
  // The automaton starts in state 0: reaching state j at the first hour pays j steps up.
  for (let j = 0; j < k; j++) prev[j] = j * step + emit(counts[from], totals[from], logP[j], log1mP[j]);
  for (let t = 1; t < n; t++) {
    const r = counts[from + t];
    const d = totals[from + t];
    for (let j = 0; j < k; j++) {
      let best = Infinity;
      let arg = 0;
      for (let i = 0; i < k; i++) {
        const c = prev[i] + (j > i ? (j - i) * step : 0);
        if (c < best) {
          best = c;
          arg = i;
        }
      }
      next[j] = best + emit(r, d, logP[j], log1mP[j]);
      back[t * k + j] = arg;
    }
    [prev, next] = [next, prev];
  }
  let last = 0;
  for (let j = 1; j < k; j++) if (prev[j] < prev[last]) last = j;
  const states = new Array<number>(n);
  states[n - 1] = last;
  for (let t = n - 1; t > 0; t--) states[t - 1] = back[t * k + states[t]];
  return { states, intervals: intervalsOf(states, counts, totals, from, logP, log1mP), baseShare };
}

function emit(r: number, d: number, logP: number, log1mP: number): number {
  return -(r * logP + (d - r) * log1mP);
}

function intervalsOf(
  states: readonly number[],
  counts: readonly number[],
  totals: readonly number[],
  from: number,
  logP: readonly number[],
  log1mP: readonly number[],
): BurstInterval[] {
  const intervals: BurstInterval[] = [];
  let start = -1;
  let level = 0;
  let weight = 0;
  for (let t = 0; t <= states.length; t++) {
    const state = t < states.length ? states[t] : 0;
    if (state > 0) {
      if (start < 0) {
        start = t;
        level = 0;
        weight = 0;
      }
      level = Math.max(level, state);
      const r = counts[from + t];
      const d = totals[from + t];
      weight += emit(r, d, logP[0], log1mP[0]) - emit(r, d, logP[state], log1mP[state]);
    } else if (start >= 0) {
      intervals.push({ start: from + start, end: from + t - 1, level, weight });
      start = -1;
    }
  }
  return intervals;
}
