import type { FlaggedHour, TermBurstResult } from './term-series';

export const HOUR_MS = 3_600_000;

/**
 * The hourly bins of one scan: `hours` bins ending at `until`, which is
 * floored to the hour, so that every scan bins on the same UTC hours and a
 * burst's first hour is the same instant whichever scan saw it.
 */
export interface HourBins {
  readonly start: Date;
  readonly until: Date;
  readonly hours: number;
}

export function hourBins(until: Date, hours: number): HourBins {
  if (!Number.isInteger(hours) || hours < 1) throw new RangeError('hours must be a positive integer');
  const end = Math.floor(until.getTime() / HOUR_MS) * HOUR_MS;
  return { start: new Date(end - hours * HOUR_MS), until: new Date(end), hours };
}

/** The bin of an instant, or -1 outside the scan. */
export function binOf(bins: HourBins, at: Date): number {
  const offset = at.getTime() - bins.start.getTime();
  if (offset < 0 || at.getTime() >= bins.until.getTime()) return -1;
  return Math.floor(offset / HOUR_MS);
}

export function binStart(bins: HourBins, hour: number): Date {
  return new Date(bins.start.getTime() + hour * HOUR_MS);
}

/** A detected trend, ready to be stored as an alert. */
export interface TrendCandidate {
  readonly kind: 'term_burst' | 'visual_cluster' | 'bank_surge';
  readonly subject: string;
  readonly policyId: string | null;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  readonly count: number;
  /** What the baseline predicts for the same span (0 for a cluster with no counterpart before). */
  readonly baseline: number;
  readonly lift: number;
  readonly evidence: Record<string, unknown>;
  /** Its items, oldest first: the examples, and what work made from it reviews. */
  readonly contentIds: readonly string[];
}

/** One burst of a series: a run of flagged hours, each at most `maxGapHours` after the one before. */
export interface BurstRun {
  readonly firstHour: number;
  readonly lastHour: number;
  readonly flagged: readonly FlaggedHour[];
  readonly count: number;
  readonly expected: number;
  readonly peak: FlaggedHour;
}

/**
 * A detector flags hours; an analyst wants one alert per burst. The Poisson
 * test often skips the hour after a burst's first (that hour's own count is
 * then in the baseline), so hours a little apart still belong to one run.
 */
export function burstRuns(result: TermBurstResult, maxGapHours = 3): BurstRun[] {
  const runs: FlaggedHour[][] = [];
  for (const hour of result.flagged) {
    const current = runs[runs.length - 1];
    if (current && hour.hour - current[current.length - 1].hour <= maxGapHours) current.push(hour);
    else runs.push([hour]);
  }
  return runs.map((flagged) => {
    let peak = flagged[0];
    for (const f of flagged) if (f.lift > peak.lift) peak = f;
    return {
      firstHour: flagged[0].hour,
      lastHour: flagged[flagged.length - 1].hour,
      flagged,
      count: flagged.reduce((s, f) => s + f.count, 0),
      expected: flagged.reduce((s, f) => s + f.expected, 0),
      peak,
    };
  });
}

/** The most frequent value, ties to the first in sort order; null when there is none. */
export function dominant(values: Iterable<string>): { value: string | null; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return { value: best ? best[0] : null, counts };
}

/** Hour-by-hour figures around a run, for the alert's evidence: from a day before it to the scan's end. */
export function evidenceHours(bins: HourBins, counts: readonly number[], totals: readonly number[], run: BurstRun, lookbackHours = 24) {
  const flagged = new Map(run.flagged.map((f) => [f.hour, f]));
  const from = Math.max(0, run.firstHour - lookbackHours);
  return Array.from({ length: counts.length - from }, (_, i) => {
    const hour = from + i;
    const f = flagged.get(hour);
    return { at: binStart(bins, hour).toISOString(), count: counts[hour], total: totals[hour], flagged: Boolean(f), ...(f ? { expected: f.expected, lift: f.lift, pValue: f.pValue } : {}) };
  });
}
