import { Logger } from '@nestjs/common';
import { FeatureBackfillProgress, FeatureBackfillRepository, FeatureBackfillRow, TransactionManager } from '@loupe/database';
import { JOB_CATALOG, JobContext, JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import type { Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { createBackfill } from './feature-backfill.service';
import { FeatureStore } from './feature-store.service';

/** Items read per query: a keyset page by content id. */
const PAGE_SIZE = 200;
/** Progress is written at most this often, and after at most FLUSH_ITEMS items, not on every item. */
const FLUSH_MS = 1_000;
const FLUSH_ITEMS = 50;

/** Where a backfill is, for a watcher in this process (the command line's progress bar). */
export type FeatureBackfillCounts = FeatureBackfillProgress & { total: number };

/**
 * One feature backfill: each classified item with no item embedding from
 * the current backbone (or one without mid_gem) gets it computed from its
 * stored model input and stored (FeatureStore.backfill), page by page in
 * content id order. Progress (counts and the cursor, together) goes to the
 * backfill's row and the job. A retry resumes after the cursor, and items
 * embedded meanwhile have left the query, so no item is embedded twice.
 * Text features are not stored: the versioned featuriser computes them from
 * the row whenever they are read, so they need no backfill.
 */
@JobHandlerFor('learning.backfill-features')
export class FeatureBackfillHandler implements JobHandler<'learning.backfill-features'> {
  private readonly logger = new Logger(FeatureBackfillHandler.name);
  /** Who watches a backfill in this process (the command line's progress bar). */
  private readonly listeners = new Map<string, (counts: FeatureBackfillCounts) => void>();

  constructor(
    private readonly backfills: FeatureBackfillRepository,
    private readonly features: FeatureStore,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async handle({ backfillId }: JobPayload<'learning.backfill-features'>, context: JobContext): Promise<void> {
    const queued = await this.backfills.findById(backfillId);
    if (!queued) throw new PermanentJobError('features.backfill_not_found', `No feature backfill ${backfillId}`);
    const left = await this.backfills.countNeedingEmbedding(queued.backbone, queued.cursor);
    const backfill = await this.backfills.start(backfillId, left);
    if (!backfill) return;
    const { backbone, total } = backfill;
    const counts: FeatureBackfillProgress = { done: backfill.done, embedded: backfill.embedded, skipped: backfill.skipped, cursor: backfill.cursor };
    let flushedAt = Date.now();
    let unflushed = 0;
    const flush = async () => {
      await this.backfills.setProgress(backfillId, counts);
      await context.progress(total === 0 ? 100 : Math.min(100, Math.floor((counts.done / total) * 100)));
      this.listeners.get(backfillId)?.({ ...counts, total });
      flushedAt = Date.now();
      unflushed = 0;
    };
    await flush();
    try {
      for (;;) {
        const page = await this.backfills.contentsNeedingEmbedding(backbone, counts.cursor, PAGE_SIZE);
        if (page.length === 0) break;
        for (const contentId of page) {
          const stored = await this.embed(contentId);
          if (stored) counts.embedded++;
          else counts.skipped++;
          counts.done++;
          counts.cursor = contentId;
          unflushed++;
          if (unflushed >= FLUSH_ITEMS || Date.now() - flushedAt >= FLUSH_MS) await flush();
        }
      }
    } catch (error) {
      // The items embedded since the last write leave the query, so a retry would not count them: written now, if the database lets us.
      if (unflushed > 0) await flush().catch(() => undefined);
      throw error;
    }
    await flush();
    const ended = await this.backfills.finish(backfillId, 'succeeded');
    if (ended) this.logger.log(`Feature backfill ${backfillId}: ${counts.embedded} items embedded with ${backbone}, ${counts.skipped} without model input`);
  }

  async onFailed({ backfillId }: JobPayload<'learning.backfill-features'>, error: Error): Promise<void> {
    await this.backfills.finish(backfillId, 'failed', error.message);
  }

  /** A backfill in this process, without the queue (the command line); the same steps, and the same one-at-a-time rule. */
  async runHere(actor: Principal | null, onProgress?: (counts: FeatureBackfillCounts) => void): Promise<FeatureBackfillRow> {
    const backfill = await createBackfill(this.backfills, this.audit, this.transactions, actor);
    if (onProgress) this.listeners.set(backfill.id, onProgress);
    const payload = { backfillId: backfill.id };
    const context: JobContext = { jobId: JOB_CATALOG['learning.backfill-features'].jobId(payload), attempt: 1, maxAttempts: 1, progress: async () => undefined };
    try {
      await this.handle(payload, context);
    } catch (error) {
      await this.onFailed(payload, error as Error);
    } finally {
      this.listeners.delete(backfill.id);
    }
    return (await this.backfills.findById(backfill.id))!;
  }

  /** One item; a failure names the item, since the backfill's reason is all a user sees. */
  private async embed(contentId: string): Promise<boolean> {
    try {
      return (await this.features.backfill(contentId)) !== null;
    } catch (error) {
      if (error instanceof PermanentJobError) throw error;
      throw new Error(`Content ${contentId}: ${(error as Error).message}`, { cause: error });
    }
  }
}
