import type { ReviewDecisionRow, ReviewTaskRow } from '@loupe/database';
import type { ReviewTaskView } from '@loupe/domain/review';
import { toContentScoreDto } from '../content/content.mapper';
import { ReviewDecisionDto, ReviewLeaseDto, ReviewTaskDto } from './review.dto';

export function toReviewTaskDto({ task, content, scores, machineReason }: ReviewTaskView): ReviewTaskDto {
  return {
    id: task.id,
    queue: task.queue,
    status: task.status,
    priority: task.priority,
    reason: task.reason,
    machineReason,
    leaseExpiresAt: task.leaseExpiresAt,
    content: {
      id: content.id,
      kind: content.kind,
      caption: content.caption,
      hashtags: content.hashtags,
      region: content.region,
      language: content.language,
      width: content.width,
      height: content.height,
    },
    scores: scores.map(toContentScoreDto),
    createdAt: task.createdAt,
  };
}

export function toReviewLeaseDto(task: ReviewTaskRow): ReviewLeaseDto {
  return { id: task.id, leaseExpiresAt: task.leaseExpiresAt! };
}

export function toReviewDecisionDto(decision: ReviewDecisionRow): ReviewDecisionDto {
  return {
    id: decision.id,
    taskId: decision.taskId,
    contentId: decision.contentId,
    outcome: decision.outcome,
    labels: decision.labels,
    note: decision.note,
    decidedAt: decision.createdAt,
  };
}
