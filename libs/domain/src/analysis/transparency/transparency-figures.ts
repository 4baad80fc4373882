import type { AfterRemovalEvent, RemovalRecord } from '@loupe/database';

/** One row of a transparency report: a policy and a country (or all of them, '*'). */
export interface TransparencyRow {
  policyId: string;
  country: string;
  removed: number;
  /** Removed by a bank or a model before any user report. */
  proactive: number;
  proactiveShare: number | null;
  /** Removed while the platform had reported no view of the item. */
  removedBeforeAnyView: number;
  removedBeforeAnyViewShare: number | null;
  removedWithin24h: number;
  removedWithin24hShare: number | null;
  /** Decided by a bank or a model, without a human. */
  automated: number;
  automatedShare: number | null;
  /** Decided by a moderator. */
  humanReviewed: number;
  appeals: number;
  reinstatements: number;
  /** From upload to removal, the median, in seconds. */
  medianSecondsToAction: number | null;
}

const DAY_MS = 86_400_000;
export const ALL = '*';

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * The figures per policy and country, and their totals. An item removed
 * under two policies counts in each policy's rows, and once in the totals
 * ('*'), so the policy rows may add up to more than the total.
 */
export function transparencyFigures(removals: RemovalRecord[], appeals: AfterRemovalEvent[], reinstatements: AfterRemovalEvent[]): TransparencyRow[] {
  type Bucket = { removals: RemovalRecord[]; appeals: number; reinstatements: number };
  const buckets = new Map<string, Bucket>();
  const bucket = (policyId: string, country: string) => {
    const key = `${policyId}\u0000${country}`;
    let found = buckets.get(key);
    if (!found) buckets.set(key, (found = { removals: [], appeals: 0, reinstatements: 0 }));
    return found;
  };
  // Every item once in the grand total and its country's total, and in each of its policies' rows.
  const keysOf = (policyIds: string[], country: string) => {
    const policies = policyIds.length > 0 ? [...new Set(policyIds)] : ['unspecified'];
    return [
      [ALL, ALL],
      [ALL, country],
      ...policies.flatMap((p) => [
        [p, ALL],
        [p, country],
      ]),
    ] as [string, string][];
  };
  for (const r of removals) for (const [p, c] of keysOf(r.policyIds, r.region)) bucket(p, c).removals.push(r);
  for (const a of appeals) for (const [p, c] of keysOf(a.policyIds, a.region)) bucket(p, c).appeals++;
  for (const a of reinstatements) for (const [p, c] of keysOf(a.policyIds, a.region)) bucket(p, c).reinstatements++;

  const rows: TransparencyRow[] = [];
  for (const [key, b] of buckets) {
    const [policyId, country] = key.split('\u0000');
    const list = b.removals;
    const automated = list.filter((r) => r.source !== 'human');
    const proactive = automated.filter((r) => !r.reportedBefore).length;
    const beforeView = list.filter((r) => r.viewsAtRemoval === 0).length;
    const within24h = list.filter((r) => r.removedAt.getTime() - r.uploadedAt.getTime() <= DAY_MS).length;
    rows.push({
      policyId,
      country,
      removed: list.length,
      proactive,
      proactiveShare: share(proactive, list.length),
      removedBeforeAnyView: beforeView,
      removedBeforeAnyViewShare: share(beforeView, list.length),
      removedWithin24h: within24h,
      removedWithin24hShare: share(within24h, list.length),
      automated: automated.length,
      automatedShare: share(automated.length, list.length),
      humanReviewed: list.length - automated.length,
      appeals: b.appeals,
      reinstatements: b.reinstatements,
      medianSecondsToAction: median(list.map((r) => (r.removedAt.getTime() - r.uploadedAt.getTime()) / 1000)),
    });
  }
  // Totals first, then by policy and country.
  const order = (v: string) => (v === ALL ? '' : v);
  return rows.sort((a, b) => order(a.policyId).localeCompare(order(b.policyId)) || order(a.country).localeCompare(order(b.country)));
}

export const TRANSPARENCY_COLUMNS: (keyof TransparencyRow)[] = [
  'policyId', 'country', 'removed', 'proactive', 'proactiveShare', 'removedBeforeAnyView', 'removedBeforeAnyViewShare',
  'removedWithin24h', 'removedWithin24hShare', 'automated', 'automatedShare', 'humanReviewed', 'appeals', 'reinstatements', 'medianSecondsToAction',
];

/** The rows as CSV, a header first; shares to four decimals. */
export function transparencyCsv(rows: TransparencyRow[]): string {
  const cell = (v: unknown) => (v === null ? '' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v));
  return [TRANSPARENCY_COLUMNS.join(','), ...rows.map((r) => TRANSPARENCY_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
