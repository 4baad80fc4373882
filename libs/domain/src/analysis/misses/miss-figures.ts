import { scoreBand } from './miss-causes';
import { CauseCounts, MISS_CAUSES, MissDay, MissedItem, MissRateRow, MissTotals, SLICE_DIMENSIONS, SliceDimension, Violation } from './misses.types';

const DAY_MS = 86_400_000;

export const noCauses = (): CauseCounts => Object.fromEntries(MISS_CAUSES.map((c) => [c, 0])) as CauseCounts;

const rate = (missed: number, violations: number) => (violations === 0 ? null : missed / violations);

/** The value a violation has in a dimension; unscored items have model version and score band "none". */
export function sliceValue(violation: Violation, dimension: SliceDimension): string {
  switch (dimension) {
    case 'policy':
      return violation.policyId;
    case 'region':
      return violation.region;
    case 'language':
      return violation.language;
    case 'kind':
      return violation.kind;
    case 'modelVersion':
      return violation.arrival.modelVersion ?? 'none';
    case 'scoreBand':
      return scoreBand(violation.arrival.score);
  }
}

/**
 * The miss rate, overall first and then per value of each dimension: of
 * the violations confirmed in the period (each item once per policy),
 * the share that had been let through first. The rest were caught
 * proactively: removed or sent to review by a bank or the model before
 * anything let them through.
 */
export function missRates(violations: Violation[]): MissRateRow[] {
  const tally = new Map<string, MissRateRow>();
  const count = (dimension: MissRateRow['dimension'], value: string, missed: boolean) => {
    const key = `${dimension}\u0000${value}`;
    const row = tally.get(key) ?? { dimension, value, violations: 0, missed: 0, caught: 0, missRate: null };
    row.violations += 1;
    if (missed) row.missed += 1;
    else row.caught += 1;
    row.missRate = rate(row.missed, row.violations);
    tally.set(key, row);
  };
  for (const v of violations) {
    count('all', '*', v.allowed !== null);
    for (const dimension of SLICE_DIMENSIONS) count(dimension, sliceValue(v, dimension), v.allowed !== null);
  }
  const order = (d: MissRateRow['dimension']) => (d === 'all' ? -1 : SLICE_DIMENSIONS.indexOf(d));
  return [...tally.values()].sort((a, b) => order(a.dimension) - order(b.dimension) || a.value.localeCompare(b.value));
}

export function causeCounts(missed: MissedItem[]): CauseCounts {
  const counts = noCauses();
  for (const item of missed) counts[item.cause] += 1;
  return counts;
}

/**
 * Per UTC day of confirmation, from the period's first day to its last one
 * that has begun by `now`: violations, misses, the miss rate and the
 * misses' causes. Days without any are there, with zeros, so that a chart
 * draws them.
 */
export function missSeries(violations: Violation[], missed: MissedItem[], from: Date, to: Date, now: Date): MissDay[] {
  const end = Math.min(to.getTime(), Math.max(from.getTime() + DAY_MS, now.getTime()));
  const days = new Map<string, MissDay>();
  for (let t = from.getTime(); t < end; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.set(date, { date, violations: 0, missed: 0, missRate: null, causes: noCauses() });
  }
  const dayOf = (v: Violation) => days.get(v.confirmedAt.toISOString().slice(0, 10));
  for (const v of violations) {
    const day = dayOf(v);
    if (day) day.violations += 1;
  }
  for (const item of missed) {
    const day = dayOf(item);
    if (!day) continue;
    day.missed += 1;
    day.causes[item.cause] += 1;
  }
  for (const day of days.values()) day.missRate = rate(day.missed, day.violations);
  return [...days.values()];
}

export function missTotals(violations: Violation[], missed: MissedItem[]): MissTotals {
  const seconds = missed.map((m) => m.secondsToRemoval).filter((s): s is number => s !== null);
  return {
    violations: violations.length,
    missed: missed.length,
    caught: violations.length - missed.length,
    missRate: rate(missed.length, violations.length),
    viewsBeforeRemoval: missed.reduce((sum, m) => sum + m.viewsBeforeRemoval, 0),
    medianSecondsToRemoval: median(seconds),
  };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Whole days of the period that have begun by `now` (at least one): what per-day figures divide by. */
export function elapsedDays(from: Date, to: Date, now: Date): number {
  const end = Math.min(to.getTime(), now.getTime());
  return Math.max(1, Math.ceil((end - from.getTime()) / DAY_MS));
}
