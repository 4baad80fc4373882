/**
 * The input every burst detector reads: one term's hourly counts among flagged
 * (violating or reported) items, beside the number of flagged items in the
 * same hour. Rates are judged as a share of that hour's flagged volume, so a
 * busy hour (a raid, a spam wave, the evening peak) does not look like a burst
 * of every term in it.
 */
export interface TermSeries {
  /** A hashtag (`#tag`) or a normalised caption term. */
  readonly term: string;
  /** Flagged items carrying the term, per hour; index 0 is the first hour of the series. */
  readonly counts: readonly number[];
  /** All flagged items in the same hour (the denominator); the same length as `counts`. */
  readonly totals: readonly number[];
}

/** One hour a detector flagged, with what it was compared against. */
export interface FlaggedHour {
  readonly hour: number;
  readonly count: number;
  readonly total: number;
  /** The count the term's baseline share predicts for this hour's volume. */
  readonly expected: number;
  /** count / expected. */
  readonly lift: number;
  /** Poisson upper-tail probability of a count this high (Poisson detector); null otherwise. */
  readonly pValue: number | null;
  /** Log-likelihood gain of the burst state over the base state (Kleinberg); null otherwise. */
  readonly weight: number | null;
}

export type BurstDetectorName = 'poisson' | 'kleinberg';

/** What a detector reports for one term, hour by hour as a stream would see it. */
export interface TermBurstResult {
  readonly term: string;
  readonly detector: BurstDetectorName;
  /** Hours flagged, ascending. */
  readonly flaggedHours: readonly number[];
  readonly firstFlaggedHour: number | null;
  /** One entry per flagged hour, in the same order. */
  readonly flagged: readonly FlaggedHour[];
  /** The flagged hour with the highest lift, for ranking terms; null when none. */
  readonly peak: FlaggedHour | null;
  /** Term count and flagged volume over the whole series. */
  readonly totalCount: number;
  readonly totalVolume: number;
}

export function assertSeries(series: TermSeries): void {
  if (series.counts.length !== series.totals.length) {
    throw new RangeError(`term ${series.term}: ${series.counts.length} counts against ${series.totals.length} totals`);
  }
  for (let h = 0; h < series.counts.length; h++) {
    const c = series.counts[h];
    const d = series.totals[h];
    // A count above its hour's total means the two were bucketed differently: refuse rather than guess.
    if (!(c >= 0) || !(d >= 0) || c > d || !Number.isFinite(d)) {
      throw new RangeError(`term ${series.term}, hour ${h}: count ${c} against total ${d}`);
    }
  }
}

export function sum(values: readonly number[], from = 0, to = values.length): number {
  let s = 0;
  for (let i = Math.max(0, from); i < Math.min(to, values.length); i++) s += values[i];
  return s;
}

export function buildResult(
  series: TermSeries,
  detector: BurstDetectorName,
  flagged: FlaggedHour[],
): TermBurstResult {
  let peak: FlaggedHour | null = null;
  for (const f of flagged) if (!peak || f.lift > peak.lift) peak = f;
  return {
    term: series.term,
    detector,
    flaggedHours: flagged.map((f) => f.hour),
    firstFlaggedHour: flagged.length ? flagged[0].hour : null,
    flagged,
    peak,
    totalCount: sum(series.counts),
    totalVolume: sum(series.totals),
  };
}
