import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, PolicyRepository, PolicyRow, ReviewCaseRepository, ReviewCaseRow, ReviewDecisionRow, ReviewTaskRepository, ReviewTaskRow, TransactionManager } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { CaseFinalizer } from './case-finalizer.service';
import type { FinalVerdict } from './final-verdict';
import { GoldStanding } from '../gold/gold-standing.service';
import { CaseService } from '../cases/case.service';
import { checkLabels, outcomeOfLabels, sameLabels, sameVerdict } from './label-rules';
import { TaskLeaseService } from '../tasks/task-lease.service';
import { PolicyLabel, type Principal } from '@loupe/vocabulary';

/** A case settled by one ordinary review, with no other task of its own: the common case, kept to few round trips. */
export function isSingleReview(caseRow: ReviewCaseRow, task: ReviewTaskRow): boolean {
  return caseRow.requiredReviews === 1 && !task.seniorOnly && caseRow.status !== 'escalated';
}

export interface ReviewDecisionInput {
  labels: PolicyLabel[];
  /** The moderator's requested action, e.g. remove, allow, age_restrict, warn. */
  action?: string;
  note?: string;
}

export interface ReviewDecisionResult {
  decision: ReviewDecisionRow;
  /** False when this repeated an earlier identical decision. */
  created: boolean;
}

/**
 * Records a moderator's decision and settles the case when it can: at once
 * for a single review; when all N blind reviews agree for consensus; through
 * a senior moderator when they do not. Gold tasks are scored, not applied.
 */
@Injectable()
export class ReviewDecisionService {
  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly policies: PolicyRepository,
    private readonly goldStanding: GoldStanding,
    private readonly contents: ContentRepository,
    private readonly leases: TaskLeaseService,
    private readonly caseService: CaseService,
    private readonly finalizer: CaseFinalizer,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  private policyList?: Promise<PolicyRow[]>;

  /** Idempotent: the same decision sent again returns the first one; a different one is a conflict. */
  async decide(taskId: string, moderator: Principal, input: ReviewDecisionInput): Promise<ReviewDecisionResult> {
    // What the training label will record, read side by side before the transaction, which then only writes.
    const [catalog, labellerPassingGold, scores] = await Promise.all([
      this.policyCatalog(),
      this.goldStanding.passing(moderator.id),
      this.contents.findScoresOfTask(taskId),
    ]);
    const problems = checkLabels(catalog, input.labels);
    if (problems.length > 0) throw ApiError.badRequest('review.invalid_labels', problems.join('; '), { problems });

    return this.transactions.run(async () => {
      const completed = await this.tasks.completeLeasedWithCase(taskId, moderator.id);
      if (!completed) {
        // Already decided (a retry, or one racing its original, which it waits for on the row lock): return that decision.
        const earlier = await this.tasks.findDecision(taskId, moderator.id);
        if (earlier) return this.repeat(earlier, input.labels);
        await this.leases.requireLease(taskId, moderator);
        throw ApiError.conflict('review.lease_lost', 'The lease on this task was lost; claim a new task');
      }
      const { task, caseRow } = completed;
      const goldAnswer = await this.goldStanding.answerOf(caseRow);
      const decision = await this.tasks.addDecision({
        taskId,
        caseId: caseRow.id,
        contentId: task.contentId,
        moderatorId: moderator.id,
        labels: input.labels,
        outcome: outcomeOfLabels(input.labels),
        action: input.action ?? null,
        note: input.note ?? null,
        timeSpentMs: task.leasedAt ? Math.max(0, Date.now() - task.leasedAt.getTime()) : null,
        goldCorrect: goldAnswer ? sameVerdict(goldAnswer, input.labels) : null,
      });
      await this.audit.record(moderator, 'review.decide', { type: 'review_task', id: taskId }, {
        caseId: caseRow.id,
        outcome: decision.outcome,
        labels: input.labels,
        action: input.action ?? null,
      });
      if (goldAnswer) {
        await this.cases.markDecided(caseRow.id, { finalOutcome: outcomeOfLabels(goldAnswer), provenance: 'gold', agreement: decision.goldCorrect ? 1 : 0 });
      } else {
        // One of several reviews: no other task of this case may come back to this moderator.
        if (!isSingleReview(caseRow, task)) await this.cases.exclude(caseRow.id, moderator.id);
        await this.advance(caseRow, task, decision, { labellerPassingGold, scores });
      }
      return { decision, created: true };
    });
  }

  /**
   * Policy ids and nuances come from the catalog file, loaded at boot, and
   * no API changes them (thresholds, which do change, play no part here).
   */
  private policyCatalog(): Promise<PolicyRow[]> {
    this.policyList ??= this.policies.list().catch((error: unknown) => {
      this.policyList = undefined;
      throw error;
    });
    return this.policyList;
  }

  /** Settles, waits for more reviews, or escalates, depending on where the case stands. */
  private async advance(caseRow: ReviewCaseRow, task: ReviewTaskRow, decision: ReviewDecisionRow, known: FinalVerdict['known']): Promise<void> {
    // A single review's own decision is all there is; anything else asks the case.
    const all = isSingleReview(caseRow, task) ? [decision] : await this.cases.decisions(caseRow.id);
    const settle = (provenance: 'single_review' | 'consensus' | 'senior' | 'appeal', agreement: number) =>
      this.finalizer.finalize(caseRow, {
        labels: decision.labels,
        provenance,
        agreement,
        moderatorIds: all.map((d) => d.moderatorId),
        labellerId: decision.moderatorId,
        labelledAt: decision.createdAt,
        decisionId: decision.id,
        known,
      });
    if (task.seniorOnly) {
      const reviewers = all.filter((d) => d.id !== decision.id);
      const agreeing = reviewers.filter((d) => sameVerdict(d.labels, decision.labels)).length;
      await settle(caseRow.source === 'appeal' ? 'appeal' : 'senior', reviewers.length > 0 ? agreeing / reviewers.length : 1);
      return;
    }
    if (all.length < caseRow.requiredReviews) return;
    if (all.every((d) => sameVerdict(d.labels, decision.labels))) {
      await settle(caseRow.source === 'appeal' ? 'appeal' : caseRow.requiredReviews > 1 ? 'consensus' : 'single_review', 1);
      return;
    }
    await this.caseService.escalate(caseRow, `${all.length} reviewers disagreed`);
  }

  private repeat(earlier: ReviewDecisionRow, labels: PolicyLabel[]): ReviewDecisionResult {
    if (!sameLabels(earlier.labels, labels)) {
      throw ApiError.conflict('review.already_decided', 'You already decided this task differently', { decisionId: earlier.id });
    }
    return { decision: earlier, created: false };
  }
}
