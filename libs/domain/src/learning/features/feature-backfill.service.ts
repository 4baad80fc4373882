import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { FeatureBackfillRepository, FeatureBackfillRow, TransactionManager } from '@loupe/database';
import { backboneId } from '@loupe/ml';
import { isPending, JOB_CATALOG, JobQueue } from '@loupe/queue';
import type { Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';

/**
 * An active backfill unwritten for this long has lost its process (a restart
 * of the all-in-one server drops its in-process queue; a command line was
 * stopped): a running one writes its progress every second.
 */
export const BACKFILL_STALE_SECONDS = 120;

/**
 * Feature backfills as users see them: requested, one at a time, queued as
 * a job, watched. The work is FeatureBackfillHandler's.
 */
@Injectable()
export class FeatureBackfillService {
  private readonly logger = new Logger(FeatureBackfillService.name);

  constructor(
    private readonly backfills: FeatureBackfillRepository,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  /** A new backfill, queued; 409 with the active one when one is queued or running (which is queued again if it was stranded). */
  async request(actor: Principal | null): Promise<FeatureBackfillRow> {
    await this.resumeStranded();
    const backfill = await createBackfill(this.backfills, this.audit, this.transactions, actor);
    try {
      await this.jobs.enqueue('learning.backfill-features', { backfillId: backfill.id });
    } catch (error) {
      // Left queued, it would block every later backfill: it ends failed, and the caller hears why.
      this.logger.warn(`Could not queue feature backfill ${backfill.id}: ${(error as Error).message}`);
      await this.backfills.finish(backfill.id, 'failed', `Could not be queued: ${(error as Error).message}`);
      throw error;
    }
    return backfill;
  }

  async get(id: string): Promise<FeatureBackfillRow> {
    const backfill = await this.backfills.findById(id);
    if (!backfill) throw ApiError.notFound('features.backfill_not_found', `No feature backfill ${id}`);
    return backfill;
  }

  list(limit = 50): Promise<FeatureBackfillRow[]> {
    return this.backfills.list(limit);
  }

  /**
   * Queues again an active backfill that nothing is working on: stale, and
   * no job of it pending here. Its retry resumes after its cursor. Without
   * this, one lost process would block every later backfill.
   */
  private async resumeStranded(): Promise<void> {
    const stale = await this.backfills.findStale(BACKFILL_STALE_SECONDS);
    if (!stale) return;
    const payload = { backfillId: stale.id };
    const { queue } = JOB_CATALOG['learning.backfill-features'];
    const jobId = JOB_CATALOG['learning.backfill-features'].jobId(payload);
    if (isPending(await this.jobs.status(queue, jobId))) return;
    if (!(await this.jobs.forgetFinished(queue, jobId))) return;
    this.logger.warn(`Feature backfill ${stale.id} was ${stale.status} with no job working on it; queued again`);
    await this.jobs.enqueue('learning.backfill-features', payload);
  }
}

/** Adds a queued backfill for the current backbone, audited; 409 with the active one when one is queued or running. */
export async function createBackfill(
  backfills: FeatureBackfillRepository,
  audit: AuditService,
  transactions: TransactionManager,
  actor: Principal | null,
): Promise<FeatureBackfillRow> {
  return transactions.run(async () => {
    const created = await backfills.createIfIdle({ backbone: backboneId(), requestedBy: actor?.id ?? null });
    if (!created) {
      const active = await backfills.findActive();
      throw ApiError.conflict('features.backfill_running', `Feature backfill ${active?.id ?? ''} is ${active?.status ?? 'active'}; one at a time`, { backfill: active });
    }
    await audit.record(actor, 'features.backfill.request', { type: 'feature_backfill', id: created.id }, { backbone: created.backbone });
    return created;
  });
}
