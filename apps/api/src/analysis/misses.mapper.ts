import type { MissedItem, MissesReport } from '@loupe/domain/analysis';
import type { MissedItemDto, MissesReportDto } from './misses.dto';

export function toMissedItemDto(item: MissedItem): MissedItemDto {
  return {
    contentId: item.contentId,
    policyId: item.policyId,
    kind: item.kind,
    region: item.region,
    language: item.language,
    uploadedAt: item.uploadedAt,
    allowed: { ...item.allowed },
    confirmedBy: item.confirmedBy,
    confirmedAt: item.confirmedAt,
    confirmationId: item.confirmationId,
    removedAt: item.removedAt,
    cause: item.cause,
    evidence: { ...item.evidence },
    score: item.arrival.score,
    scoreBand: item.scoreBand,
    modelVersion: item.arrival.modelVersion,
    reviewThreshold: item.arrival.reviewThreshold,
    viewsBeforeRemoval: item.viewsBeforeRemoval,
    secondsToRemoval: item.secondsToRemoval,
  };
}

export function toMissesReportDto(report: MissesReport): MissesReportDto {
  return {
    period: report.period.label,
    from: report.period.from,
    to: report.period.to,
    margin: report.options.margin,
    hashMargin: report.options.hashMargin,
    totals: report.totals,
    causes: report.causes,
    rates: report.rates,
    items: report.items.map(toMissedItemDto),
    series: report.series,
    whatIf: report.whatIf,
  };
}
