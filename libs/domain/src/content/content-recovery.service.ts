import { Injectable, Logger, Optional } from '@nestjs/common';
import { ContentRepository, ContentRow } from '@loupe/database';
import { LoupeMetrics } from '@loupe/metrics';
import { isPending, JOB_CATALOG, JobQueue, MAX_RECOVERIES } from '@loupe/queue';
import { recordFirstDecision } from './decision-metrics';

/** Items looked at per query, and at most per sweep, so one sweep stays bounded. */
const PAGE = 200;
const MAX_PER_SWEEP = 10_000;

export interface RecoveryCounts {
  requeued: number;
  failed: number;
}

/**
 * Finds content that will never finish on its own and sets it going again.
 * An item is stranded when it is `received` or `processing` and neither of its
 * jobs will still run: they were lost (a Redis without persistence restarted,
 * an in-process queue stopped), or they ended without moving the item (the
 * database was down when `onFailed` tried to record the failure).
 *
 * Safe in several workers at once: each item is claimed with a conditional
 * update, so exactly one sweeper re-queues it, and the fixed job ids make a
 * doubled enqueue a no-op anyway.
 */
@Injectable()
export class ContentRecoveryService {
  private readonly logger = new Logger(ContentRecoveryService.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly jobs: JobQueue,
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  /** Looks at items unchanged since `staleBefore`; newer ones may still be on their way into the queue. */
  async sweep(staleBefore: Date): Promise<RecoveryCounts> {
    const counts: RecoveryCounts = { requeued: 0, failed: 0 };
    let after: { updatedAt: Date; id: string } | undefined;
    for (let seen = 0; seen < MAX_PER_SWEEP; seen += PAGE) {
      const page = await this.contents.findUnfinished(staleBefore, PAGE, after);
      for (const content of page) {
        const outcome = await this.recover(content, staleBefore);
        if (outcome) counts[outcome] += 1;
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1];
      after = { updatedAt: last.updatedAt, id: last.id };
    }
    if (counts.requeued + counts.failed > 0) {
      this.logger.warn(`Recovered stranded content: ${counts.requeued} re-queued, ${counts.failed} failed`);
    }
    return counts;
  }

  private async recover(content: ContentRow, staleBefore: Date): Promise<keyof RecoveryCounts | null> {
    const payload = { contentId: content.id };
    const media = { queue: JOB_CATALOG['content.process-media'].queue, id: JOB_CATALOG['content.process-media'].jobId(payload) };
    const classify = { queue: JOB_CATALOG['content.classify'].queue, id: JOB_CATALOG['content.classify'].jobId(payload) };
    // Media first: it adds the classify job before it completes, so a finished
    // media job read here means the classify job read next is already there.
    if (isPending(await this.jobs.status(media.queue, media.id))) return null;
    if (isPending(await this.jobs.status(classify.queue, classify.id))) return null;

    const claimed = await this.contents.claimForRecovery(content.id, staleBefore);
    if (!claimed) return null; // it moved on meanwhile, or another worker took it
    if (claimed.recoveryAttempts > MAX_RECOVERIES) {
      const failed = await this.contents.transition(content.id, ['received', 'processing'], 'failed', {
        failureCode: 'content.stranded',
        failureReason: `Processing did not finish after ${MAX_RECOVERIES} recoveries of its lost or ended jobs`,
      });
      if (failed) recordFirstDecision(this.metrics, failed, 'failed', 'failure');
      return failed ? 'failed' : null;
    }
    // The finished jobs still hold the fixed ids; an add under them would be a no-op.
    if (!(await this.jobs.forgetFinished(media.queue, media.id))) return null;
    if (!(await this.jobs.forgetFinished(classify.queue, classify.id))) return null;
    await this.jobs.enqueue('content.process-media', payload);
    return 'requeued';
  }
}
