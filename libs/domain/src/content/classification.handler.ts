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
    const scoring = await this.scorer.score(content, (fraction) => context.progress(Math.floor(80 * fraction)), true);
    // Before the transaction, not in it: the embedding is the largest write of an item (2,112 floats a
    // frame) and an upsert, so a retry writes the same rows again and nothing needs it to commit with the
    // decision. On the embedded database a transaction holds the only connection, and every upload waits
    // for it: inside, this write made the hold about a third longer (docs/benchmarks.md, "2026-12-05, 13:30").
    await this.embeddings.addAll(embeddingRows(contentId, scoring.embeddings));
    // The scores and the decision in one transaction: routing acts on exactly the scores stored, and a
    // retry after a crash finds the first scores (addScores keeps one row per item and model version).
    await this.transactions.run(async () => {
      for (const row of scoring.rows) await this.contents.addScores(row);
      await this.routing.routeByModel(content, { policyScores: scoring.deciding, modelVersion: scoring.modelVersion, catalog: scoring.catalog });
    });
  }

  async onFailed({ contentId }: JobPayload<'content.classify'>, error: Error): Promise<void> {
    const code = error instanceof PermanentJobError ? error.code : 'classify.failed';
    const failed = await this.contents.transition(contentId, ['processing'], 'failed', { failureCode: code, failureReason: error.message });
    if (failed) recordFirstDecision(this.metrics, failed, 'failed', 'failure');
  }
}
