import { previewUrlOf, type AccuracyReport, type EstimatedLabel, type TrainingPackRow, type TrainingPackView } from '@loupe/domain/analysis';
import type { AccuracyReportDto, EstimatedLabelDto, TrainingPackDto, TrainingPackSummaryDto } from './accuracy.dto';

export function toAccuracyReportDto(report: AccuracyReport): AccuracyReportDto {
  return {
    period: report.period.label,
    from: report.period.from,
    to: report.period.to,
    moderators: report.moderators,
    estimates: report.estimates,
    pairs: report.pairs,
    queues: report.queues,
    weakest: report.weakest,
  };
}

export function toEstimatedLabelDto(item: EstimatedLabel): EstimatedLabelDto {
  return { ...item, previewUrl: previewUrlOf(item.contentId) };
}

export function toTrainingPackSummaryDto(row: TrainingPackRow): TrainingPackSummaryDto {
  return {
    id: row.id,
    moderatorId: row.moderatorId,
    team: row.team,
    policyId: row.policyId,
    nuance: row.nuance,
    itemCount: row.items.length,
    accuracyBefore: row.accuracyBefore,
    decisionsBefore: row.decisionsBefore,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}

export function toTrainingPackDto(view: TrainingPackView): TrainingPackDto {
  const { pack, before, after } = view;
  return {
    ...toTrainingPackSummaryDto(pack),
    items: pack.items.map((item) => ({ ...item, previewUrl: previewUrlOf(item.contentId) })),
    before,
    after,
    change: before.accuracy !== null && after?.accuracy != null ? after.accuracy - before.accuracy : null,
  };
}
