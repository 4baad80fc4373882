import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ItemVectorRecord, TrendAlertRow, TrendRepository } from '@loupe/database';
import { bankSurgeCandidates } from './bank-surges';
import { termBurstCandidates } from './term-bursts';
import { hourBins, HOUR_MS, type TrendCandidate } from './trend-bins';
import { newVisualClusters } from './visual-clusters';

/** Hours a scan reads by default: the detector's 48 h baseline before the last day it judges. */
export const DEFAULT_SCAN_HOURS = 72;
export const MAX_SCAN_HOURS = 24 * 14;
/** Recent violating items are clustered over the last day, against the 30 days before it. */
const VISUAL_RECENT_HOURS = 24;
const VISUAL_BASELINE_DAYS = 30;
const VISUAL_RECENT_LIMIT = 2_000;
const VISUAL_BASELINE_LIMIT = 5_000;
/** A burst re-detected within this of an alert's last hour is the same burst. */
const JOIN_GAP_MS = 3 * HOUR_MS;
/** Example items an alert shows, as blurred previews. */
const EXAMPLES = 8;

/** The analyst's blurred, greyscale preview of an item (GET, roles analyst and admin); training packs link to the same. */
const previewUrl = (contentId: string) => `/v1/analysis/contents/${contentId}/preview`;

export interface TrendScanOptions {
  /** The scan's "now": hours up to this one (floored to the hour) are read. Default: now. */
  until?: Date;
  /**
   * What is known by this time counts (default: `until`, a past scan as it
   * ran). A simulated platform, whose past hours Loupe serves now, passes now.
   */
  asOf?: Date;
  hours?: number;
}

export interface TrendScanResult {
  from: Date;
  until: Date;
  hours: number;
  asOf: Date;
  flaggedItems: number;
  /** The alerts this scan found, new or updated. */
  alerts: TrendAlertRow[];
  created: number;
}

/**
 * Finds emerging trends in stored records as of a given time: term bursts
 * among flagged items (removed, reported, held for review on suspicion),
 * new visual clusters among violating ones, and bank-match surges; each
 * becomes an alert, or updates the alert of a burst already on record.
 * Every read is by the records' own timestamps, so a scan "as of" a past
 * hour sees what a scan then would have.
 */
@Injectable()
export class TrendScanService {
  private readonly logger = new Logger(TrendScanService.name);

  constructor(private readonly trends: TrendRepository) {}

  async scan(options: TrendScanOptions = {}): Promise<TrendScanResult> {
    const bins = hourBins(options.until ?? new Date(), options.hours ?? DEFAULT_SCAN_HOURS);
    const asOf = options.asOf ?? bins.until;
    if (asOf.getTime() < bins.until.getTime()) {
      throw ApiError.badRequest('request.invalid', `asOf (${asOf.toISOString()}) is before the scan's end (${bins.until.toISOString()})`, { field: 'asOf' });
    }
    const [items, itemsPerHour, matches, banks] = await Promise.all([
      this.trends.flaggedItems(bins.start, bins.until, asOf),
      this.trends.itemsPerHour(bins.start, bins.until),
      this.trends.matchEvents(bins.start, bins.until),
      this.trends.banks(),
    ]);
    const candidates: TrendCandidate[] = [
      ...termBurstCandidates(items, bins),
      ...bankSurgeCandidates(matches, itemsPerHour, bins, banks),
      ...(await this.visualCandidates(bins.until, asOf)),
    ];
    const alerts: TrendAlertRow[] = [];
    let created = 0;
    for (const candidate of candidates) {
      const stored = await this.trends.upsertAlert(
        {
          kind: candidate.kind,
          subject: candidate.subject,
          policyId: candidate.policyId,
          firstSeenAt: candidate.firstSeenAt,
          lastSeenAt: candidate.lastSeenAt,
          count: candidate.count,
          baseline: candidate.baseline,
          lift: candidate.lift,
          evidence: {
            ...candidate.evidence,
            examples: candidate.contentIds.slice(0, EXAMPLES).map((contentId) => ({ contentId, previewUrl: previewUrl(contentId) })),
            contentIds: candidate.contentIds,
          },
        },
        bins.until,
        JOIN_GAP_MS,
      );
      alerts.push(stored.alert);
      if (stored.created) created += 1;
    }
    if (created > 0) this.logger.log(`Trend scan to ${bins.until.toISOString()}: ${created} new alert(s), ${alerts.length - created} updated`);
    return { from: bins.start, until: bins.until, hours: bins.hours, asOf, flaggedItems: items.length, alerts, created };
  }

  private async visualCandidates(until: Date, asOf: Date): Promise<TrendCandidate[]> {
    const recentFrom = new Date(until.getTime() - VISUAL_RECENT_HOURS * HOUR_MS);
    const recent = await this.trends.violatingVectors(recentFrom, until, asOf, VISUAL_RECENT_LIMIT);
    if (recent.length === 0) return [];
    // Vectors of one backbone only: the one most of the recent items were embedded with.
    const backbone = mostCommon(recent.map((r) => r.backbone));
    const baseline = await this.trends.violatingVectors(new Date(recentFrom.getTime() - VISUAL_BASELINE_DAYS * 24 * HOUR_MS), recentFrom, asOf, VISUAL_BASELINE_LIMIT);
    const of = (rows: ItemVectorRecord[]) => rows.filter((r) => r.backbone === backbone);
    return newVisualClusters(of(recent), of(baseline));
  }
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}
