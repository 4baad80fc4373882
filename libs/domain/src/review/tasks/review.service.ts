import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import {
  ContentRepository,
  ContentRow,
  ModelScoreRow,
  ModeratorRepository,
  ReviewCaseRepository,
  ReviewCaseRow,
  ReviewQueueRepository,
  ReviewQueueRow,
  ReviewTaskRepository,
  ReviewTaskRow,
  TransactionManager,
} from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { ExposureService, ExposureStatus } from '../../wellbeing/exposure.service';
import { CaseService } from '../cases/case.service';
import { LOW_SEVERITIES } from '../cases/expected-harm';
import { GoldInjector } from '../gold/gold-injector.service';
import { latestPerModel } from '../decisions/score-snapshots';
import type { Principal } from '@loupe/vocabulary';

export interface ReviewTaskView {
  task: ReviewTaskRow;
  case: ReviewCaseRow;
  /** What the moderator is told brought the item here; a gold task passes for ordinary work. */
  source: string;
  content: ContentRow;
  scores: ModelScoreRow[];
  machineReason: string | null;
  exposure: ExposureStatus;
}

/**
 * The moderator's side of the queue: claiming the most urgent task they may
 * take (within their exposure budget), keeping the lease alive, and giving a
 * task back by skipping, releasing or escalating it.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly queues: ReviewQueueRepository,
    private readonly contents: ContentRepository,
    private readonly moderators: ModeratorRepository,
    private readonly caseService: CaseService,
    private readonly gold: GoldInjector,
    private readonly exposure: ExposureService,
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
    if (gold) return this.view(gold, moderator, exposure);
    const claimed = await this.tasks.claimNext(
      moderator.id,
      leaseSeconds,
      { queues: queue ? [queue.id] : undefined, severities: exposure.restricted ? LOW_SEVERITIES : undefined, senior },
      moderator.role,
    );
    return claimed ? toView(claimed.task, claimed.caseRow, claimed.content, claimed.scores, exposure) : null;
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

  async get(taskId: string, moderator: Principal): Promise<ReviewTaskView> {
    return this.view(await this.requireLease(taskId, moderator), moderator);
  }

  async heartbeat(taskId: string, moderator: Principal): Promise<ReviewTaskRow> {
    const extended = await this.tasks.extendLease(taskId, moderator.id, this.config.review.leaseSeconds);
    return extended ?? this.requireLease(taskId, moderator);
  }

  /** Gives a task back with a reason; the item returns to its queue, but never to this moderator. */
  async skip(taskId: string, moderator: Principal, reason: string): Promise<void> {
    await this.transactions.run(async () => {
      const task = await this.requireLease(taskId, moderator);
      await this.tasks.release(taskId, moderator.id);
      await this.cases.exclude(task.caseId, moderator.id);
      await this.audit.record(moderator, 'review.skip', { type: 'review_task', id: taskId }, { reason });
    });
  }

  /** Gives a task back to its queue, anyone's to take (the moderator included). */
  async release(taskId: string, moderator: Principal): Promise<void> {
    await this.transactions.run(async () => {
      await this.requireLease(taskId, moderator);
      await this.tasks.release(taskId, moderator.id);
      await this.audit.record(moderator, 'review.release', { type: 'review_task', id: taskId });
    });
  }

  /** Hands the case to a senior moderator; this moderator's task closes without a decision. */
  async escalate(taskId: string, moderator: Principal, reason: string): Promise<void> {
    await this.transactions.run(async () => {
      const task = await this.requireLease(taskId, moderator);
      const caseRow = (await this.cases.findById(task.caseId))!;
      if (task.seniorOnly) throw ApiError.conflict('review.already_senior', 'This task is already with senior review');
      await this.tasks.completeLeased(taskId, moderator.id);
      await this.cases.exclude(caseRow.id, moderator.id);
      // The senior's verdict settles the case; the other reviews it was waiting for are moot.
      await this.tasks.cancelUnfinished(caseRow.id);
      await this.caseService.escalate(caseRow, reason);
      await this.audit.record(moderator, 'review.escalate', { type: 'review_task', id: taskId }, { reason, caseId: caseRow.id });
    });
  }

  /** The task, if the moderator holds its lease now; otherwise the precise reason why not. */
  async requireLease(taskId: string, moderator: Principal): Promise<ReviewTaskRow> {
    const task = await this.tasks.findById(taskId);
    if (!task) throw ApiError.notFound('review.task_not_found', `No review task ${taskId}`);
    if (task.leaseHolderId !== moderator.id) throw ApiError.forbidden('review.not_lease_holder', 'This task is not leased to you');
    if (task.status === 'done' || task.status === 'cancelled') throw ApiError.conflict('review.task_closed', 'This task is already closed');
    if (task.status !== 'leased' || !task.leaseExpiresAt || task.leaseExpiresAt.getTime() <= Date.now()) {
      throw ApiError.conflict('review.lease_expired', 'Your lease on this task has expired; claim it again');
    }
    return task;
  }

  /** `exposure` saves a second look-up when the caller has just read it. */
  private async view(task: ReviewTaskRow, moderator: Principal, exposure?: ExposureStatus): Promise<ReviewTaskView> {
    const [caseRow, content, scores, current] = await Promise.all([
      this.cases.findById(task.caseId),
      this.contents.findById(task.contentId),
      this.contents.findScores(task.contentId),
      exposure ?? this.exposure.status(moderator.id),
    ]);
    if (!content || !caseRow) throw ApiError.notFound('content.not_found', `No content ${task.contentId}`);
    return toView(task, caseRow, content, scores, current);
  }
}

/** What a moderator is shown of a task they hold. */
function toView(task: ReviewTaskRow, caseRow: ReviewCaseRow, content: ContentRow, scores: ModelScoreRow[], exposure: ExposureStatus): ReviewTaskView {
  return {
    task,
    case: caseRow,
    // A gold task passes for ordinary work.
    source: caseRow.source === 'gold' ? 'model' : caseRow.source,
    content,
    scores: latestPerModel(scores),
    // Why the case was opened: the machine's reason, a report's, an appeal's. Never what earlier reviewers said: reviews stay blind.
    machineReason: caseRow.reason,
    exposure,
  };
}
