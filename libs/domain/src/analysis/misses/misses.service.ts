import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { MissContentFilter, MissesRepository, MissRollupRepository, PolicyRepository, type ScoreRangeQuery } from '@loupe/database';
import type { ContentKind } from '@loupe/vocabulary';
import { parseReportPeriod, ReportPeriod } from '../transparency/report-period';
import { attributeCause, CauseOptions, DEFAULT_CAUSE_OPTIONS, scoreBand } from './miss-causes';
import { causeCounts, elapsedDays, missRates, missSeries, missTotals } from './miss-figures';
import { candidateThresholds, whatIf } from './miss-what-if';
import { MissesRollupService } from './misses-rollup.service';
import type { CauseCounts, MissDay, MissedItem, MissRateRow, MissTotals, WhatIfPolicy } from './misses.types';
import { LetThrough, nearestBankedHashes, violationKey } from './nearest-banked-hashes';
import { compareViolations, fromStoredViolation } from './violation-record';

export interface MissesFilter {
  policyId?: string;
  region?: string;
  language?: string;
  kind?: ContentKind;
}

export interface MissesReport {
  period: ReportPeriod;
  options: CauseOptions;
  totals: MissTotals;
  causes: CauseCounts;
  rates: MissRateRow[];
  items: MissedItem[];
  series: MissDay[];
  whatIf: WhatIfPolicy[];
}

/**
 * The missed-violations report: content let through first (by the model,
 * past the banks, or by a moderator) and confirmed violating later; how
 * often, where, why each one was missed, and what a lower review threshold
 * would have caught at what cost in reviews.
 */
@Injectable()
export class MissesService {
  constructor(
    private readonly records: MissesRepository,
    private readonly rollup: MissRollupRepository,
    private readonly rollupService: MissesRollupService,
    private readonly policies: PolicyRepository,
  ) {}

  async report(periodText: string, filter: MissesFilter = {}, options: Partial<CauseOptions> = {}, now = new Date()): Promise<MissesReport> {
    const period = parseReportPeriod(periodText);
    const causeOptions: CauseOptions = { margin: options.margin ?? DEFAULT_CAUSE_OPTIONS.margin, hashMargin: options.hashMargin ?? DEFAULT_CAUSE_OPTIONS.hashMargin };
    const catalog = new Map((await this.policies.list()).map((p) => [p.id, p]));
    if (filter.policyId && !catalog.has(filter.policyId)) {
      throw ApiError.badRequest('analysis.unknown_policy', `policy "${filter.policyId}" is not in the catalog`, { field: 'policy' });
    }
    const contentFilter = { region: filter.region, language: filter.language, kind: filter.kind };
    // The rollup first, so what was decided a moment ago is in the report.
    await this.rollupService.refresh();
    const stored = (await this.rollup.violations(period.from, period.to, { ...contentFilter, policyId: filter.policyId })).map(fromStoredViolation);
    const violations = stored.map((s) => s.violation).sort(compareViolations);

    const lets = violations.filter((v): v is LetThrough => v.allowed !== null);
    // The rollup holds each miss's nearest banked hash by the default margin; another margin is probed now.
    const nearest =
      causeOptions.hashMargin === DEFAULT_CAUSE_OPTIONS.hashMargin
        ? new Map(stored.flatMap((s) => (s.nearest ? [[violationKey(s.violation), s.nearest] as const] : [])))
        : await nearestBankedHashes(this.records, lets.filter((v) => v.allowed.by !== 'human'), causeOptions.hashMargin);
    const items: MissedItem[] = lets.map((v) => ({
      ...v,
      ...attributeCause(v, nearest.get(violationKey(v)) ?? null, catalog.get(v.policyId)?.reviewThreshold ?? null, causeOptions),
      scoreBand: scoreBand(v.arrival.score),
    }));

    // What-if for each policy with a miss (and the one asked for), from today's review threshold.
    const policyIds = [...new Set([...items.map((m) => m.policyId), ...(filter.policyId ? [filter.policyId] : [])])].filter((id) => catalog.has(id)).sort();
    const ranges: (ScoreRangeQuery & { candidate: number })[] = [];
    for (const policyId of policyIds) {
      const current = catalog.get(policyId)!.reviewThreshold;
      for (const candidate of candidateThresholds(current)) ranges.push({ policyId, lower: candidate, upper: current, candidate });
    }
    const scoredUntil = new Date(Math.min(period.to.getTime(), now.getTime()));
    const counts = await this.scoresBetween(period.from, scoredUntil, ranges, contentFilter);
    const days = elapsedDays(period.from, period.to, now);
    const whatIfs = policyIds.map((policyId) => {
      const own = ranges.map((r, i) => ({ ...r, count: counts[i] })).filter((r) => r.policyId === policyId);
      return whatIf(policyId, catalog.get(policyId)!.reviewThreshold, items, own.map((r) => r.candidate), own.map((r) => r.count), days);
    });

    return {
      period,
      options: causeOptions,
      totals: missTotals(violations, items),
      causes: causeCounts(items),
      rates: missRates(violations),
      items,
      series: missSeries(violations, items, period.from, period.to, now),
      whatIf: whatIfs,
    };
  }

  /**
   * The acting scores in each range over [from, until): the days the rollup
   * binned are summed from their bins, the rest counted from the scores.
   * Bins are hundredths of a score and hold every item, so a filter on the
   * items, or a bound between hundredths, is counted from the scores.
   */
  private async scoresBetween(from: Date, until: Date, ranges: ScoreRangeQuery[], filter: MissContentFilter): Promise<number[]> {
    const binnable = !filter.region && !filter.language && !filter.kind && from.getTime() % DAY_MS === 0 && ranges.every((r) => isHundredth(r.lower) && isHundredth(r.upper));
    const folded = binnable ? await this.rollup.scoresFoldedUntil() : null;
    if (!folded || folded <= from) return this.records.countScoredBetween(from, until, ranges, filter);
    const split = new Date(Math.min(folded.getTime(), until.getTime()));
    const [binned, live] = await Promise.all([
      this.rollup.binnedScoresBetween(from, split, ranges),
      split < until ? this.records.countScoredBetween(split, until, ranges, filter) : ranges.map(() => 0),
    ]);
    return binned.map((n, i) => n + live[i]);
  }
}

const DAY_MS = 86_400_000;
const isHundredth = (x: number) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-9;
