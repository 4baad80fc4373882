import { detectTermBursts } from './detect';
import { itemTerms, termKind } from './item-terms';
import { POISSON_BURST_DEFAULTS, type PoissonBurstOptions } from './poisson-burst';
import type { TermSeries } from './term-series';
import { binOf, binStart, burstRuns, dominant, evidenceHours, type HourBins, type TrendCandidate } from './trend-bins';

/** A violating or reported item, as term detection reads it. */
export interface FlaggedItem {
  readonly contentId: string;
  readonly postedAt: Date;
  readonly hashtags: readonly string[];
  readonly caption: string | null;
  readonly policyIds: readonly string[];
}

export interface TermBurstOptions {
  readonly poisson?: Partial<PoissonBurstOptions>;
  /** Count caption words as well as hashtags. */
  readonly captions?: boolean;
  /** Item ids kept per alert (for work made from it). */
  readonly maxItems?: number;
}

export interface FlaggedStream {
  readonly series: TermSeries[];
  /** Terms of each item, in the items' order. */
  readonly termsOf: readonly (readonly string[])[];
  readonly hourOf: readonly number[];
}

/**
 * Hourly series of every term among the flagged items, beside the flagged
 * volume per hour. A term whose busiest hour is below the detector's
 * minimum count can never be flagged, so it gets no series: captions bring
 * thousands of words, and only a few ever reach it.
 */
export function flaggedStream(items: readonly FlaggedItem[], bins: HourBins, options: TermBurstOptions = {}): FlaggedStream {
  const minCount = options.poisson?.minCount ?? POISSON_BURST_DEFAULTS.minCount;
  const totals = new Array<number>(bins.hours).fill(0);
  const counts = new Map<string, number[]>();
  const termsOf: string[][] = [];
  const hourOf: number[] = [];
  for (const item of items) {
    const hour = binOf(bins, item.postedAt);
    const terms = hour < 0 ? [] : itemTerms(item.hashtags, item.caption, { captions: options.captions });
    termsOf.push(terms);
    hourOf.push(hour);
    if (hour < 0) continue;
    totals[hour] += 1;
    for (const term of terms) {
      let c = counts.get(term);
      if (!c) counts.set(term, (c = new Array<number>(bins.hours).fill(0)));
      c[hour] += 1;
    }
  }
  const series = [...counts]
    .filter(([, c]) => Math.max(...c) >= minCount)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([term, c]): TermSeries => ({ term, counts: c, totals }));
  return { series, termsOf, hourOf };
}

/**
 * Term bursts among flagged items: the Poisson test (the measured default)
 * on each term's share of the flagged volume, one candidate per run of
 * flagged hours, with its items, the policy most of them concern, the terms
 * that came with it, and its hours from a day before.
 */
export function termBurstCandidates(items: readonly FlaggedItem[], bins: HourBins, options: TermBurstOptions = {}): TrendCandidate[] {
  const stream = flaggedStream(items, bins, options);
  const bySeries = new Map(stream.series.map((s) => [s.term, s]));
  const candidates: TrendCandidate[] = [];
  for (const result of detectTermBursts(stream.series, { detector: 'poisson', poisson: options.poisson })) {
    const series = bySeries.get(result.term)!;
    for (const run of burstRuns(result)) {
      const indexes = items.flatMap((_, i) => (stream.hourOf[i] >= run.firstHour && stream.hourOf[i] <= run.lastHour && stream.termsOf[i].includes(result.term) ? [i] : []));
      const members = indexes.map((i) => items[i]);
      const policy = dominant(members.flatMap((m) => m.policyIds));
      const related = dominant(indexes.flatMap((i) => stream.termsOf[i].filter((t) => t !== result.term)));
      candidates.push({
        kind: 'term_burst',
        subject: result.term,
        policyId: policy.value,
        firstSeenAt: binStart(bins, run.firstHour),
        lastSeenAt: binStart(bins, run.lastHour),
        count: run.count,
        baseline: run.expected,
        lift: run.count / run.expected,
        contentIds: members.slice(0, options.maxItems ?? 500).map((m) => m.contentId),
        evidence: {
          term: result.term,
          termKind: termKind(result.term),
          detector: 'poisson',
          items: members.length,
          policies: policy.counts,
          relatedTerms: Object.entries(related.counts)
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, 10)
            .map(([term, count]) => ({ term, count })),
          peak: { at: binStart(bins, run.peak.hour).toISOString(), count: run.peak.count, total: run.peak.total, expected: run.peak.expected, lift: run.peak.lift, pValue: run.peak.pValue },
          hours: evidenceHours(bins, series.counts, series.totals, run),
        },
      });
    }
  }
  return candidates;
}
