import { detectPoissonBursts, type PoissonBurstOptions } from './poisson-burst';
import type { TermSeries } from './term-series';
import { binOf, binStart, burstRuns, evidenceHours, type HourBins, type TrendCandidate } from './trend-bins';

export interface MatchEvent {
  readonly contentId: string;
  readonly entryId: string;
  readonly bankId: string;
  readonly at: Date;
}

export interface BankInfo {
  readonly id: string;
  readonly name: string;
  readonly policyId: string | null;
}

/**
 * Bank-match surges: the same Poisson test as term bursts, on each bank
 * entry's and each bank's matched items per hour as a share of the items
 * that arrived that hour (`itemsPerHour`), so a busy hour of uploads does
 * not make every entry surge, while a wave of re-uploads of one banked
 * image does. Subjects are `entry:<id>` and `bank:<id>`; a bank counts each
 * item once, whichever of its entries it matched.
 */
export function bankSurgeCandidates(
  matches: readonly MatchEvent[],
  itemsPerHour: ReadonlyMap<number, number>,
  bins: HourBins,
  banks: readonly BankInfo[],
  options: { poisson?: Partial<PoissonBurstOptions>; maxItems?: number } = {},
): TrendCandidate[] {
  const groups = new Map<string, { bankId: string; entryId: string | null; byHour: Map<number, Set<string>> }>();
  const matchedPerHour = new Map<number, Set<string>>();
  for (const m of matches) {
    const hour = binOf(bins, m.at);
    if (hour < 0) continue;
    addTo(matchedPerHour, hour, m.contentId);
    for (const [subject, entryId] of [[`entry:${m.entryId}`, m.entryId], [`bank:${m.bankId}`, null]] as const) {
      let g = groups.get(subject);
      if (!g) groups.set(subject, (g = { bankId: m.bankId, entryId, byHour: new Map() }));
      addTo(g.byHour, hour, m.contentId);
    }
  }
  // Matches are stamped when they are made; a re-match of older items (a retro-hunt) can outnumber the hour's new items.
  const totals = Array.from({ length: bins.hours }, (_, h) => Math.max(itemsPerHour.get(h) ?? 0, matchedPerHour.get(h)?.size ?? 0));
  const bankById = new Map(banks.map((b) => [b.id, b]));
  const candidates: TrendCandidate[] = [];
  for (const [subject, group] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const series: TermSeries = { term: subject, counts: totals.map((_, h) => group.byHour.get(h)?.size ?? 0), totals };
    const result = detectPoissonBursts(series, options.poisson);
    for (const run of burstRuns(result)) {
      const items = new Set<string>();
      for (let h = run.firstHour; h <= run.lastHour; h++) for (const id of group.byHour.get(h) ?? []) items.add(id);
      const bank = bankById.get(group.bankId);
      candidates.push({
        kind: 'bank_surge',
        subject,
        policyId: bank?.policyId ?? null,
        firstSeenAt: binStart(bins, run.firstHour),
        lastSeenAt: binStart(bins, run.lastHour),
        count: run.count,
        baseline: run.expected,
        lift: run.count / run.expected,
        contentIds: [...items].slice(0, options.maxItems ?? 500),
        evidence: {
          scope: group.entryId ? 'entry' : 'bank',
          bankId: group.bankId,
          bankName: bank?.name ?? null,
          entryId: group.entryId,
          items: items.size,
          peak: { at: binStart(bins, run.peak.hour).toISOString(), count: run.peak.count, total: run.peak.total, expected: run.peak.expected, lift: run.peak.lift, pValue: run.peak.pValue },
          hours: evidenceHours(bins, series.counts, totals, run),
        },
      });
    }
  }
  return candidates;
}

function addTo(map: Map<number, Set<string>>, hour: number, id: string): void {
  let set = map.get(hour);
  if (!set) map.set(hour, (set = new Set()));
  set.add(id);
}
