import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ModeratorRepository, ReviewQueueRepository, ReviewQueueRow, ReviewTaskRepository, ReviewTaskRow, TransactionManager } from '@loupe/database';
import type { Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { ExposureService } from '../../wellbeing/exposure.service';
import { LOW_SEVERITIES } from '../cases/expected-harm';
import { GoldInjector } from '../gold/gold-injector.service';
import { TaskLeaseService } from './task-lease.service';
import { ReviewTaskView, toTaskView } from './task-view';

/**
 * Claiming: the most urgent task the moderator may take (within their
 * exposure budget), or a gold task in its place, leased to them alone.
 * What they do with it while they hold it is TaskLeaseService's.
 */
@Injectable()
export class ClaimService {
  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly queues: ReviewQueueRepository,
    private readonly moderators: ModeratorRepository,
    private readonly gold: GoldInjector,
    private readonly exposure: ExposureService,
    private readonly leases: TaskLeaseService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  /** Leases the most urgent task the moderator may take, or null when there is none. */
  async next(moderator: Principal, queueId?: string): Promise<ReviewTaskView | null> {
    // Independent reads, side by side: every round trip here is on each moderator's wait for work.
    const [found, exposure, profile] = await Promise.all([
      this.queues.findQueue(queueId ?? 'default'),
      this.exposure.status(moderator.id),
      this.moderators.profile(moderator.id),
    ]);
    if (queueId && !found) throw ApiError.notFound('review.queue_not_found', `No queue ${queueId}`);
    const queue = queueId ? found : undefined;
    if (exposure.breakRequired) {
      throw new ApiError(423, 'wellbeing.break_required', exposure.message!, { exposure, retryAfterSeconds: exposure.retryAfterSeconds });
    }
    const senior = profile?.senior ?? false;
    if (queue?.seniorOnly && !senior) throw ApiError.forbidden('review.senior_only', `Queue ${queue.id} is for senior moderators`);
    const leaseSeconds = this.config.review.leaseSeconds;
    // Gold comes at the rate of the queue asked for, or of the default queue for a claim from any.
    const gold = exposure.restricted || !found ? null : await this.injectGold(moderator, found, leaseSeconds);
    if (gold) return this.leases.view(gold, moderator, exposure);
    const claimed = await this.tasks.claimNext(
      moderator.id,
      leaseSeconds,
      { queues: queue ? [queue.id] : undefined, severities: exposure.restricted ? LOW_SEVERITIES : undefined, senior },
      moderator.role,
    );
    return claimed ? toTaskView(claimed.task, claimed.caseRow, claimed.content, claimed.scores, exposure) : null;
  }

  /** A gold task in place of real work, at the queue's gold rate; recorded as any claim is. */
  private async injectGold(moderator: Principal, queue: ReviewQueueRow, leaseSeconds: number): Promise<ReviewTaskRow | null> {
    if (queue.goldRate <= 0) return null;
    return this.transactions.run(async () => {
      const gold = await this.gold.maybeInject(moderator.id, queue, leaseSeconds);
      if (!gold) return null;
      await this.exposure.record(moderator.id, gold.id, gold.severity);
      await this.audit.record(moderator, 'review.claim', { type: 'review_task', id: gold.id }, { queue: gold.queue, caseId: gold.caseId });
      return gold;
    });
  }
}
