import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository, ReportRepository, ReviewCaseRepository, TransactionManager } from '@loupe/database';
import { CaseService } from '../case.service';
import { latestPerModel } from '../../decisions/score-snapshots';

export interface ReachResult {
  views: number;
  viewsPerHour: number;
  /** Set when the view velocity crossed VIRAL_VIEWS_PER_HOUR and opened a re-review. */
  viralCaseId: string | null;
}

/**
 * View counts from the platform. They feed review priority (reach) and send
 * allowed content that suddenly goes viral back to human review.
 */
@Injectable()
export class ReachService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly contents: ContentRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly caseService: CaseService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  async recordViews(contentId: string, views: number, observedAt = new Date()): Promise<ReachResult> {
    return this.transactions.run(async () => {
      const content = await this.contents.findById(contentId);
      if (!content) throw ApiError.notFound('content.not_found', `No content ${contentId}`);
      const last = await this.reports.lastViewSample(contentId);
      const since = last ?? { views: 0, observedAt: content.createdAt, velocityPerHour: 0 };
      const hours = (observedAt.getTime() - since.observedAt.getTime()) / 3600_000;
      if (hours < 0) throw ApiError.badRequest('views.out_of_order', 'This count is older than the last one recorded');
      // A second apart or less says nothing about velocity: keep the last estimate.
      const velocity = hours > 1 / 3600 ? Math.max(0, views - since.views) / hours : since.velocityPerHour;
      await this.reports.addViewSample(contentId, views, velocity, observedAt);
      const updated = (await this.contents.findById(contentId))!;
      const scores = latestPerModel(await this.contents.findScores(contentId));
      const probability = (policyIds: string[]) => Math.max(0.05, ...scores.flatMap((s) => policyIds.map((p) => s.policyScores[p] ?? 0)));
      for (const open of await this.cases.openForContent(contentId)) {
        await this.caseService.reprioritise(open, updated, probability(open.policyIds));
      }
      let viralCaseId: string | null = null;
      if (velocity >= this.config.review.viralViewsPerHour && updated.status === 'allowed' && !(await this.cases.findLive(contentId))) {
        const policyIds = [...new Set(scores.flatMap((s) => Object.keys(s.policyScores)))];
        const opened = await this.caseService.open({
          content: updated,
          source: 'virality',
          policyIds,
          policyScores: Object.assign({}, ...scores.map((s) => s.policyScores)),
          probability: 0.3,
          reason: `viral: ${Math.round(velocity)} views per hour`,
        });
        viralCaseId = opened.id;
      }
      return { views, viewsPerHour: velocity, viralCaseId };
    });
  }
}
