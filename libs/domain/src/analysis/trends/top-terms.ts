import { sum, type TermSeries } from './term-series';

/**
 * Period-over-period Top-N, the table Osprey shows beside its alerts: the
 * terms most frequent among flagged items this period, each with last
 * period's count and rank, so an analyst sees what climbed and what is new
 * even when no single hour was a burst.
 */
export type TermCounts = ReadonlyMap<string, number> | Iterable<readonly [string, number]>;

export interface TopTermRow {
  readonly term: string;
  /** 1-based. */
  readonly rank: number;
  readonly count: number;
  readonly previousCount: number;
  /** Rank among all terms of the previous period (not only its top N); null when absent then. */
  readonly previousRank: number | null;
  /** count - previousCount. */
  readonly change: number;
  /** previousRank - rank (positive: climbed); null when absent before. */
  readonly rankChange: number | null;
  /** Not seen at all in the previous period. */
  readonly isNew: boolean;
  /** In this top N but not in the previous one. */
  readonly entered: boolean;
}

export interface DroppedTerm {
  readonly term: string;
  readonly previousRank: number;
  readonly previousCount: number;
  readonly count: number;
}

export interface TopTermsReport {
  readonly rows: readonly TopTermRow[];
  /** Terms of the previous top N that are not in this one. */
  readonly dropped: readonly DroppedTerm[];
}

/**
 * Ranks by count, highest first; ties go to the term that sorts first, so
 * the same counts always give the same table. Terms with a count of 0 are
 * not ranked.
 */
export function topTerms(current: TermCounts, previous: TermCounts, n: number): TopTermsReport {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
  const now = ranking(current);
  const before = ranking(previous);
  const beforeByTerm = new Map(before.map((entry, i) => [entry[0], { rank: i + 1, count: entry[1] }]));
  const rows = now.slice(0, n).map(([term, count], i): TopTermRow => {
    const rank = i + 1;
    const prior = beforeByTerm.get(term);
    return {
      term,
      rank,
      count,
      previousCount: prior?.count ?? 0,
      previousRank: prior?.rank ?? null,
      change: count - (prior?.count ?? 0),
      rankChange: prior ? prior.rank - rank : null,
      isNew: !prior,
      entered: !prior || prior.rank > n,
    };
  });
  const shown = new Set(rows.map((r) => r.term));
  const nowByTerm = new Map(now);
  const dropped = before
    .slice(0, n)
    .map(([term, previousCount], i): DroppedTerm => ({ term, previousRank: i + 1, previousCount, count: nowByTerm.get(term) ?? 0 }))
    .filter((d) => !shown.has(d.term));
  return { rows, dropped };
}

/** Each term's count over hours [from, to) of its series. */
export function periodCounts(series: readonly TermSeries[], from: number, to: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of series) counts.set(s.term, (counts.get(s.term) ?? 0) + sum(s.counts, from, to));
  return counts;
}

/** The last `periodHours` before `endHour` against the `periodHours` before them. */
export function periodOverPeriod(
  series: readonly TermSeries[],
  options: { readonly endHour: number; readonly periodHours: number; readonly n: number },
): TopTermsReport {
  const { endHour, periodHours, n } = options;
  if (!(periodHours >= 1)) throw new RangeError('periodHours must be at least 1');
  return topTerms(
    periodCounts(series, endHour - periodHours, endHour),
    periodCounts(series, endHour - 2 * periodHours, endHour - periodHours),
    n,
  );
}

function ranking(counts: TermCounts): [string, number][] {
  const merged = new Map<string, number>();
  for (const [term, count] of counts) {
    if (!(count >= 0) || !Number.isFinite(count)) throw new RangeError(`term ${term}: count ${count}`);
    merged.set(term, (merged.get(term) ?? 0) + count);
  }
  return [...merged]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
