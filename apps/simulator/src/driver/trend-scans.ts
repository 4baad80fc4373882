import type { LoupeHttp } from '../loupe/http';
import type { SimClock } from './clock';
import type { TrendScanRecord } from './ledger';

/**
 * What an analyst's hourly scan would have shown at a simulated hour: POST
 * /v1/analysis/trends/scan up to that hour (its wall time), keeping the
 * term-burst alerts it raised or updated. Loupe buckets items by the hour
 * the platform says they were posted, so the scan sees the simulated hours;
 * what Loupe did so far (removals, items held for review) counts, as it
 * would on the platform at that hour: asOf is the real now (clock.ts).
 */
export async function scanTrends(analyst: LoupeHttp, clock: SimClock, at: number): Promise<TrendScanRecord> {
  try {
    const result = await analyst.post<{
      alerts: { id: string; kind: string; subject: string; firstSeenAt: string; lift: number; policyId: string | null; evidence: { examples?: { contentId: string }[] } }[];
    }>('/v1/analysis/trends/scan', {
      until: clock.wall(at).toISOString(),
      asOf: new Date().toISOString(),
    });
    const alerts = result.alerts
      .filter((a) => a.kind === 'term_burst')
      .map((a) => ({
        id: a.id,
        kind: a.kind,
        subject: a.subject,
        firstSeenAt: Date.parse(a.firstSeenAt) - clock.epoch,
        lift: a.lift,
        policyId: a.policyId,
        examples: (a.evidence?.examples ?? []).map((e) => e.contentId),
      }));
    return { at, alerts, error: null };
  } catch (error) {
    return { at, alerts: [], error: (error as Error).message };
  }
}

/** The first scan that flagged `subject`, and every other term that was flagged at some hour. */
export function trendDetection(scans: readonly TrendScanRecord[], subject: string): { flaggedAt: number | null; burstFrom: number | null; others: string[]; failedScans: number } {
  const first = scans.find((s) => s.alerts.some((a) => a.subject === subject));
  const others = [...new Set(scans.flatMap((s) => s.alerts.map((a) => a.subject)).filter((term) => term !== subject))].sort();
  return {
    flaggedAt: first?.at ?? null,
    burstFrom: first?.alerts.find((a) => a.subject === subject)?.firstSeenAt ?? null,
    others,
    failedScans: scans.filter((s) => s.error !== null).length,
  };
}

/**
 * The analyst's call on a scan: watch the hashtag alert with the highest
 * lift, when it concerns a policy, when most of the example items it shows
 * are harmful, and when none is watched yet. One term, the sharpest: a
 * hashtag that many ordinary posts carry (#fyp) rises with a trend too, but
 * far less above its own baseline, and watching it would hold a good share
 * of all uploads. The examples are what an analyst looks at before holding
 * every new post of a term for review (Loupe's blurred previews): a burst
 * of ordinary posts that a new model version sends to review more often
 * (run 10 of the default day watched #food so) is not a harm to hold.
 * `harmful` says what an example shows, from the world's truth.
 */
export function alertToWatch(
  scan: TrendScanRecord,
  watched: ReadonlySet<string>,
  harmful: (contentId: string) => boolean | undefined = () => true,
): TrendScanRecord['alerts'][number] | null {
  if (watched.size > 0) return null;
  const looksHarmful = (alert: TrendScanRecord['alerts'][number]) => {
    const seen = (alert.examples ?? []).map(harmful).filter((h): h is boolean => h !== undefined);
    return seen.length === 0 || seen.filter(Boolean).length * 2 >= seen.length;
  };
  const hashtags = scan.alerts.filter((a) => a.subject.startsWith('#') && a.policyId !== null && looksHarmful(a));
  return hashtags.sort((a, b) => b.lift - a.lift || (a.subject < b.subject ? -1 : 1))[0] ?? null;
}
