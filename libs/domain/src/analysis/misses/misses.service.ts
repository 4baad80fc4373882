import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { MissesRepository, PolicyRepository, type ScoreRangeQuery } from '@loupe/database';
import type { ContentKind } from '@loupe/vocabulary';
import { parseReportPeriod, ReportPeriod } from '../transparency/report-period';
import { confirmedViolations } from './miss-cohort';
import { attributeCause, CauseOptions, DEFAULT_CAUSE_OPTIONS, HashProbe, hashProbe, nearerBankedHash, scoreBand, withWords } from './miss-causes';
import { causeCounts, elapsedDays, missRates, missSeries, missTotals } from './miss-figures';
import { candidateThresholds, whatIf } from './miss-what-if';
import type { CauseCounts, MissDay, MissedItem, MissRateRow, MissTotals, NearestBankedHash, Violation, WhatIfPolicy } from './misses.types';

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

/** Banked hashes are scanned in pages of this many, so a large bank never sits in memory whole. */
const BANK_PAGE = 5_000;

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
    const history = await this.records.history(period.from, period.to, contentFilter);
    const violations = confirmedViolations(history, period.from, period.to).filter((v) => !filter.policyId || v.policyId === filter.policyId);

    const lets = violations.filter((v): v is Violation & { allowed: NonNullable<Violation['allowed']> } => v.allowed !== null);
    const nearest = await this.nearestBankedHashes(lets.filter((v) => v.allowed.by !== 'human'), causeOptions.hashMargin);
    const items: MissedItem[] = lets.map((v) => ({
      ...v,
      ...attributeCause(v, nearest.get(key(v)) ?? null, catalog.get(v.policyId)?.reviewThreshold ?? null, causeOptions),
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
    const counts = await this.records.countScoredBetween(period.from, scoredUntil, ranges, contentFilter);
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
   * For each missed item, the nearest banked hash just beyond its bank's
   * threshold, if any. Only matches within a bank's threshold are stored,
   * so this is computed now: the few missed items' hashes against every
   * block bank's hashes added before the latest of them was let through,
   * a page at a time.
   */
  private async nearestBankedHashes(missed: (Violation & { allowed: NonNullable<Violation['allowed']> })[], hashMargin: number): Promise<Map<string, NearestBankedHash>> {
    const found = new Map<string, NearestBankedHash>();
    if (missed.length === 0) return found;
    const hashes = await this.records.contentHashes([...new Set(missed.map((m) => m.contentId))]);
    const hashesOf = new Map<string, typeof hashes>();
    for (const h of hashes) {
      const own = hashesOf.get(h.contentId);
      if (own) own.push(h);
      else hashesOf.set(h.contentId, [h]);
    }
    const probes: HashProbe[] = missed
      .map((m) => hashProbe(m.contentId, m.policyId, m.allowed.at, hashesOf.get(m.contentId) ?? []))
      .filter((p) => p.hashes.length > 0);
    if (probes.length === 0) return found;
    const before = new Date(Math.max(...probes.map((p) => p.allowedAt.getTime())));
    for (let after = 0; ; ) {
      const page = await this.records.bankedHashes(before, after, BANK_PAGE);
      const banked = withWords(page);
      for (const probe of probes) {
        const nearer = nearerBankedHash(found.get(key(probe)) ?? null, probe, banked, hashMargin);
        if (nearer) found.set(key(probe), nearer);
      }
      if (page.length < BANK_PAGE) break;
      after = page[page.length - 1].itemId;
    }
    return found;
  }
}

const key = (v: { contentId: string; policyId: string }) => `${v.contentId}/${v.policyId}`;
