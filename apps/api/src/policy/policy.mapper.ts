import type { PolicyRow } from '@loupe/domain/policy';
import { PolicyDto } from './policy.dto';

export function toPolicyDto(policy: PolicyRow): PolicyDto {
  return {
    id: policy.id,
    title: policy.title,
    description: policy.description,
    severity: policy.severity,
    thresholds: { review: policy.reviewThreshold, remove: policy.removeThreshold },
    models: policy.modelInputs,
    nuances: policy.nuances,
    catalogVersion: policy.catalogVersion,
    updatedAt: policy.updatedAt,
    updatedBy: policy.updatedBy,
  };
}
