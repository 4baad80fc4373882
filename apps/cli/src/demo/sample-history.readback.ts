import { LoupeHttpClient } from './loupe-http.client';
import { BURST_TAG, DEMO_NAMES, STEADY_TAG, type SampleHistoryRecord } from './sample-history.scenario';

export interface SampleHistorySummary {
  url: string;
  analystKey: string;
  /** The quarter the history falls in (UTC), e.g. 2026-Q4. */
  quarter: string;
  misses: { violations: number; missed: number; causes: Record<string, number> };
  alert: { id: string; subject: string; firstSeenAt: string; count: number; lift: number } | null;
  steadyFlagged: boolean;
  pack: { id: string; moderator: string; moderatorId: string; itemCount: number; accuracyBefore: number | null };
  transparency: { removed: number; proactive: number; appeals: number; reinstatements: number } | null;
}

export const MISS_CAUSES = ['near_threshold', 'blind_spot', 'no_model', 'hash_variant', 'human_error'] as const;

export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/**
 * Reads the sample back as an analyst would, and makes the weakest
 * moderator's training pack: the moderator whose decisions on adult nudity
 * were right least often.
 */
export async function readBackSampleHistory(url: string, record: SampleHistoryRecord): Promise<SampleHistorySummary> {
  const analyst = new LoupeHttpClient(url.replace(/\/+$/, ''), record.keys.analyst);
  const quarter = quarterOf(record.scannedUntil);
  const misses = await analyst.get(`/v1/analysis/misses?period=${quarter}`);

  const bursts = await analyst.get<any[]>('/v1/analysis/trends?kind=term_burst&limit=1000');
  const burst = bursts.find((a) => a.subject === BURST_TAG && new Date(a.firstSeenAt).getTime() === record.burstHourAt.getTime()) ?? null;

  const accuracy = await analyst.get('/v1/analysis/accuracy?policy=adult_nudity');
  const names = { [record.moderators.ana]: DEMO_NAMES.ana, [record.moderators.ben]: DEMO_NAMES.ben, [record.moderators.cleo]: DEMO_NAMES.cleo };
  const rows = (accuracy.moderators as any[]).filter((r) => names[r.moderatorId] && r.observed?.accuracy !== null && r.observed?.accuracy !== undefined);
  if (rows.length === 0) throw new Error('The accuracy report has no decisions of the sample moderators on adult nudity');
  const weakest = rows.reduce((a, r) => (r.observed.accuracy < a.observed.accuracy ? r : a));
  const pack = await analyst.post('/v1/analysis/training-packs', { moderatorId: weakest.moderatorId, policyId: 'adult_nudity' });

  const transparency = await analyst.get(`/v1/analysis/transparency?period=${quarter}`);
  const total = (transparency.rows as any[]).find((r) => r.policyId === '*' && r.country === '*') ?? null;
  return {
    url,
    analystKey: record.keys.analyst,
    quarter,
    misses: { violations: misses.totals.violations, missed: misses.totals.missed, causes: misses.causes },
    alert: burst && { id: burst.id, subject: burst.subject, firstSeenAt: burst.firstSeenAt, count: burst.count, lift: burst.lift },
    steadyFlagged: bursts.some((a) => a.subject === STEADY_TAG),
    pack: { id: pack.id, moderator: names[weakest.moderatorId], moderatorId: weakest.moderatorId, itemCount: pack.itemCount, accuracyBefore: pack.accuracyBefore ?? null },
    transparency: total && { removed: total.removed, proactive: total.proactive, appeals: total.appeals, reinstatements: total.reinstatements },
  };
}

/** What the command prints at the end: the figures, the analyst key, and what to try next. */
export function formatSummary(s: SampleHistorySummary): string {
  const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(0)}%`);
  const missing = MISS_CAUSES.filter((c) => !s.misses.causes[c]);
  const lines = [
    `Sample history loaded into ${s.url}.`,
    '',
    `Missed violations, ${s.quarter}: ${s.misses.missed} of ${s.misses.violations} let through first; causes: ${MISS_CAUSES.map((c) => `${c} ${s.misses.causes[c] ?? 0}`).join(', ')}`,
    ...(missing.length > 0 ? [`  (no miss of cause ${missing.join(', ')}: this database held history of its own)`] : []),
    s.alert
      ? `Trend alert: ${s.alert.subject} burst at ${s.alert.firstSeenAt.slice(0, 13).replace('T', ' ')}h UTC, ${s.alert.count} items, ${s.alert.lift.toFixed(1)}x its baseline (${s.alert.id}); ${STEADY_TAG} steady, ${s.steadyFlagged ? 'flagged too' : 'not flagged'}`
      : `Trend alert: none for ${BURST_TAG} (unexpected; run \`loupe trends --scan\`)`,
    `Training pack for ${s.pack.moderator}, the weakest on adult nudity (${pct(s.pack.accuracyBefore)} right): ${s.pack.itemCount} items, pack ${s.pack.id}`,
    s.transparency
      ? `Transparency, ${s.quarter}: ${s.transparency.removed} removed, ${s.transparency.proactive} proactively; ${s.transparency.appeals} appeal(s), ${s.transparency.reinstatements} reinstated`
      : `Transparency, ${s.quarter}: no removals`,
    '',
    `The analyst key (shown once): ${s.analystKey}`,
    '',
    'Next:',
    `  open ${s.url}/dashboard and sign in with the analyst key`,
    `  ANALYST=${s.analystKey}`,
    `  npx loupe report misses --period ${s.quarter}`,
    `  npx loupe trends`,
    `  curl -s ${s.url}/v1/analysis/training-packs/${s.pack.id} -H "x-api-key: $ANALYST"`,
    `  npx loupe report transparency --period ${s.quarter}`,
  ];
  return lines.join('\n');
}
