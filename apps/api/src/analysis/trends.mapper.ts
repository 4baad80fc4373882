import type { TopTermsResult, TrendAlertRecord } from '@loupe/domain/analysis';
import type { TopTermsDto, TrendAlertDto } from './trends.dto';

export function toTrendAlertDto(alert: TrendAlertRecord): TrendAlertDto {
  return {
    id: alert.id,
    kind: alert.kind,
    subject: alert.subject,
    policyId: alert.policyId,
    status: alert.status,
    firstSeenAt: alert.firstSeenAt,
    lastSeenAt: alert.lastSeenAt,
    count: alert.count,
    baseline: alert.baseline,
    lift: alert.lift,
    evidence: alert.evidence,
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgedAt: alert.acknowledgedAt,
    note: alert.note,
    work: alert.work,
    createdAt: alert.createdAt,
    updatedAt: alert.updatedAt,
  };
}

export function toTopTermsDto(result: TopTermsResult): TopTermsDto {
  return {
    period: result.period.label,
    from: result.period.from,
    to: result.period.to,
    previousFrom: result.previous.from,
    previousTo: result.previous.to,
    rows: [...result.rows],
    dropped: [...result.dropped],
  };
}
