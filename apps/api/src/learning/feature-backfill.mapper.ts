import type { FeatureBackfillRow } from '@loupe/domain/learning';
import { FeatureBackfillDto } from './feature-backfill.dto';

export function toFeatureBackfillDto(row: FeatureBackfillRow): FeatureBackfillDto {
  return {
    id: row.id,
    status: row.status,
    backbone: row.backbone,
    total: row.total,
    done: row.done,
    embedded: row.embedded,
    skipped: row.skipped,
    percent: row.total === 0 ? (row.status === 'succeeded' ? 100 : 0) : Math.min(100, Math.floor((row.done / row.total) * 100)),
    failedReason: row.failedReason,
    requestedBy: row.requestedBy,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    seconds: row.startedAt && row.finishedAt ? (row.finishedAt.getTime() - row.startedAt.getTime()) / 1000 : null,
    createdAt: row.createdAt,
  };
}
