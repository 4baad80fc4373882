import { ApiError } from '@loupe/common';
import { parseReportPeriod } from './report-period';

const iso = (d: Date) => d.toISOString().slice(0, 10);

describe('parseReportPeriod', () => {
  it.each([
    ['2026-Q4', 'quarter', '2026-10-01', '2027-01-01'],
    ['2026-Q1', 'quarter', '2026-01-01', '2026-04-01'],
    ['2026-12', 'month', '2026-12-01', '2027-01-01'],
    ['2026-12-01', 'day', '2026-12-01', '2026-12-02'],
    // ISO weeks: 2026-W01 starts on Monday 29 December 2025; 2026-W49 on 30 November.
    ['2026-W01', 'week', '2025-12-29', '2026-01-05'],
    ['2026-W49', 'week', '2026-11-30', '2026-12-07'],
    ['2026-W53', 'week', '2026-12-28', '2027-01-04'],
  ])('%s is a %s from %s to %s', (text, granularity, from, to) => {
    const period = parseReportPeriod(text);
    expect([period.granularity, iso(period.from), iso(period.to)]).toEqual([granularity, from, to]);
  });

  it.each(['2026-Q5', '2026-13', '2026-02-30', '2025-W53', '2026-W00', 'last quarter', ''])('refuses %j with a 400 that names the field', (text) => {
    try {
      parseReportPeriod(text, 'period');
      throw new Error('parsed');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).getStatus()).toBe(400);
      expect(error).toMatchObject({ code: 'analysis.invalid_period', details: { field: 'period' } });
    }
  });
});
