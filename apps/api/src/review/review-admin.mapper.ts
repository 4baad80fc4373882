import type { GoldItemRow, GoldItemStats, QueueWithCounts, ReviewQueueRow, RoutingRuleRow } from '@loupe/domain/review';
import { GoldItemDto, ReviewQueueDto, RoutingRuleDto } from './review-admin.dto';

export function toReviewQueueDto(queue: ReviewQueueRow | QueueWithCounts): ReviewQueueDto {
  return {
    id: queue.id,
    name: queue.name,
    description: queue.description,
    policyIds: queue.policyIds,
    languages: queue.languages,
    regions: queue.regions,
    seniorOnly: queue.seniorOnly,
    slaMinutes: queue.slaMinutes,
    consensusReviews: queue.consensusReviews,
    goldRate: queue.goldRate,
    ...('counts' in queue ? { counts: queue.counts } : {}),
  };
}

export function toRoutingRuleDto(rule: RoutingRuleRow): RoutingRuleDto {
  return {
    id: rule.id,
    name: rule.name,
    position: rule.position,
    enabled: rule.enabled,
    conditions: rule.conditions,
    queueId: rule.queueId,
    consensusReviews: rule.consensusReviews,
    updatedAt: rule.updatedAt,
  };
}

export function toGoldItemDto(item: GoldItemRow | GoldItemStats): GoldItemDto {
  return {
    id: item.id,
    contentId: item.contentId,
    labels: item.labels,
    active: item.active,
    ...('answered' in item ? { answered: item.answered, correct: item.correct } : {}),
    createdAt: item.createdAt,
  };
}
