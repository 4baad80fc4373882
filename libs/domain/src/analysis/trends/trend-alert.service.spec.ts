import { parseReportPeriod } from '../transparency/report-period';
import { previousPeriod, trendAlertsCsv } from './trend-alert.service';

describe('previousPeriod', () => {
  it('is the period of the same kind just before', () => {
    const of = (label: string) => {
      const p = previousPeriod(parseReportPeriod(label));
      return [p.from.toISOString().slice(0, 10), p.to.toISOString().slice(0, 10)];
    };
    expect(of('2026-03')).toEqual(['2026-02-01', '2026-03-01']);
    expect(of('2026-Q1')).toEqual(['2025-10-01', '2026-01-01']);
    expect(of('2026-12-01')).toEqual(['2026-11-30', '2026-12-01']);
    expect(of('2026-W49')).toEqual(['2026-11-23', '2026-11-30']);
  });
});

describe('trendAlertsCsv', () => {
  it('writes one row per alert, quoting what needs it', () => {
    const at = new Date('2026-12-01T20:00:00Z');
    const csv = trendAlertsCsv([
      { id: 'a1', kind: 'term_burst', subject: '#burst', policyId: null, status: 'open', firstSeenAt: at, lastSeenAt: at, count: 8, baseline: 0.45, lift: 17.777, evidence: {}, acknowledgedBy: null, acknowledgedAt: null, note: 'seen, "raid"', work: [], createdAt: at, updatedAt: at },
    ]);
    expect(csv.split('\n')).toEqual([
      'id,kind,subject,policyId,status,firstSeenAt,lastSeenAt,count,baseline,lift,acknowledgedAt,note',
      'a1,term_burst,#burst,,open,2026-12-01T20:00:00.000Z,2026-12-01T20:00:00.000Z,8,0.4500,17.7770,,"seen, ""raid"""',
      '',
    ]);
  });
});
