import { ApiError } from '@loupe/common';

export type PeriodGranularity = 'day' | 'week' | 'month' | 'quarter';

/** A reporting period: [from, to) in UTC, and the label it was asked by. */
export interface ReportPeriod {
  label: string;
  granularity: PeriodGranularity;
  from: Date;
  to: Date;
}

const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month, day));

/**
 * Parses the periods transparency reports are published by: a day
 * (2026-12-01), an ISO week (2026-W49, from its Monday), a month (2026-12)
 * or a quarter (2026-Q4). Anything else is 400 analysis.invalid_period,
 * naming the field.
 */
export function parseReportPeriod(text: string, field = 'period'): ReportPeriod {
  const bad = () => ApiError.badRequest('analysis.invalid_period', `${field} must be a day (2026-12-01), an ISO week (2026-W49), a month (2026-12) or a quarter (2026-Q4); got "${text}"`, { field });
  let m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) {
    const [year, quarter] = [Number(m[1]), Number(m[2])];
    return { label: text, granularity: 'quarter', from: utc(year, (quarter - 1) * 3, 1), to: utc(year, quarter * 3, 1) };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (m) {
    const [year, week] = [Number(m[1]), Number(m[2])];
    // ISO week 1 holds the year's first Thursday: its Monday is the Monday on or before 4 January.
    const jan4 = utc(year, 0, 4);
    const monday1 = utc(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
    const from = new Date(monday1.getTime() + (week - 1) * 7 * 86_400_000);
    // A year has 52 or 53 ISO weeks: week 53 exists only if it still holds a Thursday of this year.
    const thursday = new Date(from.getTime() + 3 * 86_400_000);
    if (week < 1 || thursday.getUTCFullYear() !== year) throw bad();
    return { label: text, granularity: 'week', from, to: new Date(from.getTime() + 7 * 86_400_000) };
  }
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12) throw bad();
    return { label: text, granularity: 'month', from: utc(year, month - 1, 1), to: utc(year, month, 1) };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const from = utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    // Date.UTC rolls 2026-02-30 over to March: a day that does not exist is refused.
    if (from.toISOString().slice(0, 10) !== text) throw bad();
    return { label: text, granularity: 'day', from, to: new Date(from.getTime() + 86_400_000) };
  }
  throw bad();
}
