import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository, ReachRepository, ReviewCaseRepository, TransactionManager } from '@loupe/database';
import { JobQueue } from '@loupe/queue';
import { latestPerModel } from '../../review/decisions/score-snapshots';
import { CaseService } from '../../review/cases/case.service';
import { applyViewEvents, ReachState, ViewEvent, ViewEventResult } from './view-events';

export interface ViewsBatchResult {
  applied: number;
  rejected: number;
  /** One per event, in the order sent. */
  results: ViewEventResult[];
}

/**
 * View counts from the platform, one or thousands per call. They keep a
 * time series per item (content_view_samples), move reach and velocity on
 * the item, re-prioritise its open cases, and send allowed content that
 * crosses a virality tier to a re-check (a job: re-score, re-match, and
 * human review when the tier says so), once per item and tier.
 */
@Injectable()
export class ViewsService {
  private readonly logger = new Logger(ViewsService.name);

  constructor(
    private readonly reach: ReachRepository,
    private readonly contents: ContentRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly caseService: CaseService,
    private readonly transactions: TransactionManager,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {}

  async record(events: ViewEvent[]): Promise<ViewsBatchResult> {
    if (events.length > this.config.analysis.viewsBatchMax) {
      throw ApiError.payloadTooLarge('views.batch_too_large', `A batch holds at most ${this.config.analysis.viewsBatchMax} events (VIEWS_BATCH_MAX); this one has ${events.length}`, { limit: this.config.analysis.viewsBatchMax, size: events.length });
    }
    const { results, crossings } = await this.transactions.run(async () => {
      const ids = [...new Set(events.map((e) => e.contentId))];
      const states = new Map<string, ReachState>((await this.reach.lockStates(ids)).map((s) => [s.contentId, s]));
      const applied = applyViewEvents(events, states, this.config.analysis.viralityTiers);
      // Samples are in observation order per item, so an item's last sample is its reach now.
      await this.reach.addSamples(applied.samples);
      const recorded = await this.reach.addCrossings(applied.crossings);
      await this.reprioritise(await this.reach.withOpenCases([...applied.latest.keys()]));
      return { results: applied.results, crossings: recorded };
    });
    // After the commit: a lost enqueue leaves the tier unchecked, and the sweep sends it again.
    const highest = new Map<string, number>();
    for (const c of crossings) highest.set(c.contentId, Math.max(c.tier, highest.get(c.contentId) ?? 0));
    const rechecks = [...highest].map(([contentId, tier]) => ({ contentId, tier }));
    await this.jobs.enqueueMany('analysis.virality-recheck', rechecks).catch((error: Error) => this.logger.warn(`${rechecks.length} virality re-checks not queued yet: ${error.message}`));
    const applied = results.filter((r) => r.status === 'applied').length;
    return { applied, rejected: results.length - applied, results };
  }

  /** One item's count, as the single-item endpoint takes it: a rejection is that call's error. */
  async recordOne(contentId: string, views: number, observedAt = new Date(), extra: { shares?: number; reports?: number } = {}): Promise<ViewEventResult & { status: 'applied' }> {
    const [result] = (await this.record([{ contentId, views, observedAt, ...extra }])).results;
    if (result.status === 'applied') return result;
    if (result.code === 'content.not_found') throw ApiError.notFound(result.code, result.message);
    throw ApiError.badRequest(result.code, result.message);
  }

  /** An item's view counts over time and the virality tiers it crossed, with what each re-check did. */
  async reachOf(contentId: string) {
    if (!(await this.contents.findById(contentId))) throw ApiError.notFound('content.not_found', `No content ${contentId}`);
    const [series, tiers] = await Promise.all([this.reach.series(contentId), this.reach.tiersOf(contentId)]);
    return { contentId, series, tiers };
  }

  private async reprioritise(contentIds: string[]): Promise<void> {
    for (const contentId of contentIds) {
      const content = (await this.contents.findById(contentId))!;
      const scores = latestPerModel(await this.contents.findScores(contentId));
      const probability = (policyIds: string[]) => Math.max(0.05, ...scores.flatMap((s) => policyIds.map((p) => s.policyScores[p] ?? 0)));
      for (const open of await this.cases.openForContent(contentId)) await this.caseService.reprioritise(open, content, probability(open.policyIds));
    }
  }
}
