import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { TrendAlertFilter, TrendAlertRow, TrendRepository } from '@loupe/database';
import type { Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { parseReportPeriod, type ReportPeriod } from '../transparency/report-period';
import { itemTerms, termKind } from './item-terms';
import { topTerms, type TopTermsReport } from './top-terms';

/** An alert as the domain returns it, for the apps' mappers (apps never import libs/database). */
export type TrendAlertRecord = TrendAlertRow;

export interface TopTermsResult extends TopTermsReport {
  period: ReportPeriod;
  /** The period before, of the same kind (the month before a month). */
  previous: { from: Date; to: Date };
}

export interface TopTermsOptions {
  n?: number;
  /** hashtag, caption or all (the default). */
  termKind?: 'hashtag' | 'caption' | 'all';
}

/**
 * Emerging-trend alerts as analysts use them: listed by filters, read,
 * acknowledged (once, audited, with a note), and the period-over-period
 * Top-N of terms among flagged items that sits beside them.
 */
@Injectable()
export class TrendAlertService {
  constructor(
    private readonly trends: TrendRepository,
    private readonly audit: AuditService,
  ) {}

  list(filter: TrendAlertFilter): Promise<TrendAlertRow[]> {
    return this.trends.listAlerts(filter);
  }

  async get(id: string): Promise<TrendAlertRow> {
    const alert = await this.trends.findAlert(id);
    if (!alert) throw ApiError.notFound('trend.alert_not_found', `No trend alert ${id}`);
    return alert;
  }

  /** 409 trend.already_acknowledged the second time: the first analyst's note stands. */
  async acknowledge(id: string, actor: Principal | null, note: string | null): Promise<TrendAlertRow> {
    const acknowledged = await this.trends.acknowledge(id, actor?.id ?? null, note);
    if (!acknowledged) {
      const alert = await this.get(id);
      throw ApiError.conflict('trend.already_acknowledged', `Trend alert ${id} was acknowledged at ${alert.acknowledgedAt?.toISOString()}`, {
        acknowledgedAt: alert.acknowledgedAt,
        acknowledgedBy: alert.acknowledgedBy,
      });
    }
    await this.audit.record(actor, 'analysis.trend.acknowledge', { type: 'trend_alert', id }, { kind: acknowledged.kind, subject: acknowledged.subject, note });
    return acknowledged;
  }

  /** The terms most frequent among flagged items in a period, against the period before. */
  async topTerms(periodText: string, options: TopTermsOptions = {}): Promise<TopTermsResult> {
    const period = parseReportPeriod(periodText);
    const previous = previousPeriod(period);
    const [now, before] = await Promise.all([
      this.trends.flaggedItems(period.from, period.to, period.to),
      this.trends.flaggedItems(previous.from, previous.to, previous.to),
    ]);
    const kind = options.termKind ?? 'all';
    const count = (items: typeof now) => {
      const counts = new Map<string, number>();
      for (const item of items) {
        for (const term of itemTerms(item.hashtags, item.caption, { captions: kind !== 'hashtag' })) {
          if (kind === 'all' || termKind(term) === kind) counts.set(term, (counts.get(term) ?? 0) + 1);
        }
      }
      return counts;
    };
    return { period, previous, ...topTerms(count(now), count(before), options.n ?? 20) };
  }
}

/** The period just before, of the same kind: a day, a week, a month or a quarter. */
export function previousPeriod(period: ReportPeriod): { from: Date; to: Date } {
  const from = new Date(period.from);
  if (period.granularity === 'month' || period.granularity === 'quarter') {
    from.setUTCMonth(from.getUTCMonth() - (period.granularity === 'month' ? 1 : 3));
  } else {
    from.setTime(from.getTime() - (period.to.getTime() - period.from.getTime()));
  }
  return { from, to: period.from };
}

const CSV_COLUMNS = ['id', 'kind', 'subject', 'policyId', 'status', 'firstSeenAt', 'lastSeenAt', 'count', 'baseline', 'lift', 'acknowledgedAt', 'note'] as const;

export function trendAlertsCsv(alerts: TrendAlertRow[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
    const text = String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [CSV_COLUMNS.join(','), ...alerts.map((a) => CSV_COLUMNS.map((c) => cell(a[c])).join(','))].join('\n') + '\n';
}
