import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository, ReviewCaseRepository, ReviewTaskRepository, ReviewTaskRow, TransactionManager } from '@loupe/database';
import type { Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { ExposureService, ExposureStatus } from '../../wellbeing/exposure.service';
import { CaseService } from '../cases/case.service';
import { ReviewTaskView, toTaskView } from './task-view';

/**
 * A task while a moderator holds it: reading it, keeping the lease alive,
 * and giving it back by skipping, releasing or escalating it. Claiming is
 * ClaimService's; deciding is ReviewDecisionService's.
 */
@Injectable()
export class TaskLeaseService {
  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly contents: ContentRepository,
    private readonly caseService: CaseService,
    private readonly exposure: ExposureService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

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

  /** What the moderator sees of a task; `exposure` saves a second look-up when the caller has just read it. */
  async view(task: ReviewTaskRow, moderator: Principal, exposure?: ExposureStatus): Promise<ReviewTaskView> {
    const [caseRow, content, scores, current] = await Promise.all([
      this.cases.findById(task.caseId),
      this.contents.findById(task.contentId),
      this.contents.findScores(task.contentId),
      exposure ?? this.exposure.status(moderator.id),
    ]);
    if (!content || !caseRow) throw ApiError.notFound('content.not_found', `No content ${task.contentId}`);
    return toTaskView(task, caseRow, content, scores, current);
  }
}
