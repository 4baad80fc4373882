import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import {
  ContentRepository,
  ContentRow,
  DecisionRepository,
  ModelScoreRow,
  PolicyLabel,
  PolicyRepository,
  ReviewDecisionRow,
  ReviewTaskRepository,
  ReviewTaskRow,
  ScoreSnapshot,
  TrainingLabelRepository,
  TransactionManager,
} from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { HashMatchService } from '../matching/hash-match.service';
import { checkLabels, outcomeOfLabels, sameLabels } from './label-rules';

export interface ReviewTaskView {
  task: ReviewTaskRow;
  content: ContentRow;
  scores: ModelScoreRow[];
  machineReason: string | null;
}

export interface ReviewDecisionInput {
  labels: PolicyLabel[];
  note?: string;
}

export interface ReviewDecisionResult {
  decision: ReviewDecisionRow;
  /** False when this repeated an earlier identical decision. */
  created: boolean;
}

/** The newest score row of each model: what the machine believed. */
function latestPerModel(scores: ModelScoreRow[]): ModelScoreRow[] {
  const seen = new Set<string>();
  return scores.filter((s) => !seen.has(s.modelId) && seen.add(s.modelId));
}

@Injectable()
export class ReviewService {
  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly policies: PolicyRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly matcher: HashMatchService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  /** Leases the most urgent open task to the moderator, or null when the queue is empty. */
  async next(moderator: Principal, queue?: string): Promise<ReviewTaskView | null> {
    const task = await this.transactions.run(async () => {
      const claimed = await this.tasks.claimNext(moderator.id, this.config.review.leaseSeconds, queue);
      if (claimed) await this.audit.record(moderator, 'review.claim', { type: 'review_task', id: claimed.id }, { queue: claimed.queue });
      return claimed;
    });
    return task ? this.view(task) : null;
  }

  async get(taskId: string, moderator: Principal): Promise<ReviewTaskView> {
    return this.view(await this.requireLease(taskId, moderator));
  }

  async heartbeat(taskId: string, moderator: Principal): Promise<ReviewTaskRow> {
    const extended = await this.tasks.extendLease(taskId, moderator.id, this.config.review.leaseSeconds);
    return extended ?? this.requireLease(taskId, moderator);
  }

  /**
   * Records a moderator's labels and settles the content. Idempotent: the
   * same decision sent again returns the first one; a different one is a conflict.
   */
  async decide(taskId: string, moderator: Principal, input: ReviewDecisionInput): Promise<ReviewDecisionResult> {
    const problems = checkLabels(await this.policies.list(), input.labels);
    if (problems.length > 0) throw ApiError.badRequest('review.invalid_labels', problems.join('; '), { problems });

    return this.transactions.run(async () => {
      const earlier = await this.tasks.findDecision(taskId, moderator.id);
      if (earlier) return this.repeat(earlier, input.labels);
      const task = await this.tasks.completeLeased(taskId, moderator.id);
      if (!task) {
        await this.requireLease(taskId, moderator);
        throw ApiError.conflict('review.lease_lost', 'The lease on this task was lost; claim a new task');
      }
      const outcome = outcomeOfLabels(input.labels);
      const decision = await this.tasks.addDecision({
        taskId,
        contentId: task.contentId,
        moderatorId: moderator.id,
        labels: input.labels,
        outcome,
        note: input.note ?? null,
      });
      await this.settleContent(task, decision, moderator);
      await this.audit.record(moderator, 'review.decide', { type: 'review_task', id: taskId }, { outcome, labels: input.labels });
      return { decision, created: true };
    });
  }

  private repeat(earlier: ReviewDecisionRow, labels: PolicyLabel[]): ReviewDecisionResult {
    if (!sameLabels(earlier.labels, labels)) {
      throw ApiError.conflict('review.already_decided', 'You already decided this task differently', { decisionId: earlier.id });
    }
    return { decision: earlier, created: false };
  }

  private async settleContent(task: ReviewTaskRow, decision: ReviewDecisionRow, moderator: Principal): Promise<void> {
    const violating = decision.labels.filter((l) => l.violating).map((l) => l.policyId);
    await this.contents.transition(task.contentId, ['in_review'], decision.outcome);
    await this.decisions.add({
      contentId: task.contentId,
      outcome: decision.outcome,
      source: 'human',
      reason: violating.length > 0 ? `moderator labelled ${violating.join(', ')} violating` : 'moderator found no violation',
      policyIds: violating,
      actorId: moderator.id,
    });
    const scores = latestPerModel(await this.contents.findScores(task.contentId));
    await this.labels.add({
      contentId: task.contentId,
      decisionId: decision.id,
      labels: decision.labels,
      outcome: decision.outcome,
      provenance: 'single_review',
      labellerId: moderator.id,
      labelledAt: decision.createdAt,
      modelScores: scores.map<ScoreSnapshot>((s) => ({
        modelId: s.modelId,
        modelVersion: s.modelVersion,
        outputs: s.outputs,
        policyScores: s.policyScores,
      })),
    });
    await this.matcher.feedback(task.contentId, violating);
    if (decision.outcome === 'removed') await this.bankRemoved(task.contentId, violating);
  }

  /** Banks the removed item's hashes, per violated policy, so that re-uploads are removed at ingest. */
  private async bankRemoved(contentId: string, policyIds: string[]): Promise<void> {
    const hashes = await this.contents.findHashes(contentId);
    const image = hashes.find((h) => h.signalType === 'pdq');
    const frames = hashes.filter((h) => h.signalType === 'vpdq');
    if (image) {
      await this.matcher.bankRemovedContent(contentId, policyIds, { signalType: 'pdq', hash: image.hash, quality: image.quality });
    } else if (frames.length > 0) {
      await this.matcher.bankRemovedContent(contentId, policyIds, {
        signalType: 'vpdq',
        // vPDQ compares frames one by one above the floor; the entry is as good as its best frame.
        quality: Math.max(...frames.map((f) => f.quality)),
        frames: frames.map((f) => ({ frameNumber: f.frameIndex ?? 0, quality: f.quality, pdq: f.hash, timestamp: f.timestampSeconds ?? 0 })),
      });
    }
  }

  /** The task, if the moderator holds its lease now; otherwise the precise reason why not. */
  private async requireLease(taskId: string, moderator: Principal): Promise<ReviewTaskRow> {
    const task = await this.tasks.findById(taskId);
    if (!task) throw ApiError.notFound('review.task_not_found', `No review task ${taskId}`);
    if (task.leaseHolderId !== moderator.id) {
      throw ApiError.forbidden('review.not_lease_holder', 'This task is not leased to you');
    }
    if (task.status === 'done') throw ApiError.conflict('review.task_closed', 'This task is already decided');
    if (task.status !== 'leased' || !task.leaseExpiresAt || task.leaseExpiresAt.getTime() <= Date.now()) {
      throw ApiError.conflict('review.lease_expired', 'Your lease on this task has expired; claim it again');
    }
    return task;
  }

  private async view(task: ReviewTaskRow): Promise<ReviewTaskView> {
    const [content, scores, decision] = await Promise.all([
      this.contents.findById(task.contentId),
      this.contents.findScores(task.contentId),
      this.decisions.latest(task.contentId),
    ]);
    if (!content) throw ApiError.notFound('content.not_found', `No content ${task.contentId}`);
    return { task, content, scores: latestPerModel(scores), machineReason: decision?.reason ?? null };
  }
}
