import { Optional } from '@nestjs/common';
import { ContentEmbeddingRepository, ContentRepository, TransactionManager } from '@loupe/database';
import { LoupeMetrics } from '@loupe/metrics';
import { JobContext, JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import { ContentScorer } from './content-scorer.service';
import { recordFirstDecision } from './decision-metrics';
import { embeddingRows } from './embedding-rows';
import { RoutingService } from './routing.service';

/**
 * Scores an item and routes it by the policy thresholds. Each policy is
 * decided by its champion head where it has one, else by the baseline;
 * every score is stored with the version and role that gave it.
 */
@JobHandlerFor('content.classify')
export class ClassificationHandler implements JobHandler<'content.classify'> {
  constructor(
    private readonly contents: ContentRepository,
    private readonly embeddings: ContentEmbeddingRepository,
    private readonly scorer: ContentScorer,
    private readonly routing: RoutingService,
    private readonly transactions: TransactionManager,
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  async handle({ contentId }: JobPayload<'content.classify'>, context: JobContext): Promise<void> {
    const content = await this.contents.findById(contentId);
    if (!content) throw new PermanentJobError('content.not_found', `Content ${contentId} does not exist`);
    if (content.status === 'failed') return;
    const scoring = await this.scorer.score(content, (fraction) => context.progress(Math.floor(80 * fraction)));
    // One transaction: a retry after a crash must not store the scores twice.
    await this.transactions.run(async () => {
      for (const row of scoring.rows) await this.contents.addScores(row);
      await this.embeddings.addAll(embeddingRows(contentId, scoring.embeddings));
      await this.routing.routeByModel(content, { policyScores: scoring.deciding, modelVersion: scoring.modelVersion, catalog: scoring.catalog });
    });
  }

  async onFailed({ contentId }: JobPayload<'content.classify'>, error: Error): Promise<void> {
    const code = error instanceof PermanentJobError ? error.code : 'classify.failed';
    const failed = await this.contents.transition(contentId, ['processing'], 'failed', { failureCode: code, failureReason: error.message });
    if (failed) recordFirstDecision(this.metrics, failed, 'failed', 'failure');
  }
}
