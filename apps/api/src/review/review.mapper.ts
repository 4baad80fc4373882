import type { ReviewDecisionRow, ReviewTaskRow, ReviewTaskView } from '@loupe/domain/review';
import { toContentScoreDto } from '../content/content.mapper';
import { ReviewDecisionDto, ReviewLeaseDto, ReviewTaskDto } from './review.dto';

export function toReviewTaskDto({ task, case: caseRow, source, content, scores, machineReason, exposure }: ReviewTaskView): ReviewTaskDto {
  return {
    id: task.id,
    queue: task.queue,
    status: task.status,
    source,
    severity: caseRow.severity,
    policyIds: caseRow.policyIds,
    priority: task.priority,
    slaDeadline: caseRow.slaDeadline,
    reportsCount: caseRow.reportsCount,
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
      views: content.views,
      viewsPerHour: content.viewVelocity,
    },
    scores: scores.map(toContentScoreDto),
    previewUrl: `/v1/review/tasks/${task.id}/preview`,
    revealUrl: `/v1/review/tasks/${task.id}/reveal`,
    exposure,
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
    action: decision.action,
    note: decision.note,
    timeSpentMs: decision.timeSpentMs,
    decidedAt: decision.createdAt,
  };
}
