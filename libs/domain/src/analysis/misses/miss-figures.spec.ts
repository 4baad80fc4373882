import { causeCounts, elapsedDays, missRates, missSeries, missTotals, noCauses } from './miss-figures';
import { scoreBand } from './miss-causes';
import type { MissCause, MissedItem, Violation } from './misses.types';
import { at, PERIOD } from './testing/miss-history';

const DAY = 24 * 60;

function violation(id: string, over: Partial<Violation> & { missed?: MissCause } = {}): Violation | MissedItem {
  const { missed, ...rest } = over;
  const v: Violation = {
    contentId: id,
    policyId: 'adult_nudity',
    kind: 'image',
    region: 'DE',
    language: 'de',
    uploadedAt: at(0),
    confirmedBy: missed ? 'report' : 'model',
    confirmedAt: at(60),
    confirmationId: `c-${id}`,
    removedAt: at(60),
    allowed: missed ? { decisionId: `a-${id}`, by: missed === 'human_error' ? 'human' : 'model', at: at(1), actorId: null, caseSource: null } : null,
    arrival: { score: 0.5, modelVersion: 'nsfwjs@1', reviewThreshold: 0.6 },
    viewsBeforeRemoval: 0,
    secondsToRemoval: 3600,
    ...rest,
  };
  if (!missed) return v;
  return { ...v, allowed: v.allowed!, cause: missed, evidence: { cause: 'no_model', policyId: v.policyId, scoredBy: null }, scoreBand: scoreBand(v.arrival.score) } as MissedItem;
}

describe('miss figures', () => {
  // Five violations, three missed; by hand: DE 2 of 3, FR 1 of 2; adult_nudity 2 of 4, spam 1 of 1.
  const all = [
    violation('a', { missed: 'near_threshold', arrival: { score: 0.55, modelVersion: 'nsfwjs@1', reviewThreshold: 0.6 }, viewsBeforeRemoval: 100, secondsToRemoval: 600 }),
    violation('b', { missed: 'blind_spot', region: 'FR', arrival: { score: 0.05, modelVersion: 'nsfwjs@1', reviewThreshold: 0.6 }, viewsBeforeRemoval: 20, secondsToRemoval: 1200, confirmedAt: at(DAY + 5) }),
    violation('c', { missed: 'no_model', policyId: 'spam', arrival: { score: null, modelVersion: 'nsfwjs@1', reviewThreshold: null }, secondsToRemoval: null, removedAt: null }),
    violation('d', { arrival: { score: 0.97, modelVersion: 'nsfwjs@1', reviewThreshold: 0.6 } }),
    violation('e', { region: 'FR', kind: 'video', arrival: { score: null, modelVersion: null, reviewThreshold: null } }),
  ];
  const missed = all.filter((v): v is MissedItem => 'cause' in v);

  it('gives the miss rate overall and per slice, as counted by hand', () => {
    const rows = missRates(all);
    const row = (dimension: string, value: string) => rows.find((r) => r.dimension === dimension && r.value === value);
    expect(rows[0]).toEqual({ dimension: 'all', value: '*', violations: 5, missed: 3, caught: 2, missRate: 0.6 });
    expect(row('region', 'DE')).toMatchObject({ violations: 3, missed: 2, missRate: 2 / 3 });
    expect(row('region', 'FR')).toMatchObject({ violations: 2, missed: 1, missRate: 0.5 });
    expect(row('policy', 'adult_nudity')).toMatchObject({ violations: 4, missed: 2, caught: 2 });
    expect(row('policy', 'spam')).toMatchObject({ violations: 1, missed: 1, missRate: 1 });
    expect(row('kind', 'video')).toMatchObject({ violations: 1, missed: 0, missRate: 0 });
    expect(row('modelVersion', 'none')).toMatchObject({ violations: 1, caught: 1 });
    expect(row('scoreBand', 'none')).toMatchObject({ violations: 2, missed: 1 });
    expect(row('scoreBand', '0.5-0.6')).toMatchObject({ violations: 1, missed: 1 });
    expect(row('scoreBand', '0.9-1.0')).toMatchObject({ violations: 1, missed: 0 });
    // Dimensions in a fixed order, values sorted within each.
    expect([...new Set(rows.map((r) => r.dimension))]).toEqual(['all', 'policy', 'region', 'language', 'kind', 'modelVersion', 'scoreBand']);
  });

  it('counts causes, views and the median time to removal of the misses', () => {
    expect(causeCounts(missed)).toEqual({ ...noCauses(), near_threshold: 1, blind_spot: 1, no_model: 1 });
    expect(missTotals(all, missed)).toEqual({ violations: 5, missed: 3, caught: 2, missRate: 0.6, viewsBeforeRemoval: 120, medianSecondsToRemoval: 900 });
    expect(missTotals([], [])).toEqual({ violations: 0, missed: 0, caught: 0, missRate: null, viewsBeforeRemoval: 0, medianSecondsToRemoval: null });
  });

  it('gives a row per day that has begun, with the day’s misses by cause', () => {
    const week = { from: PERIOD.from, to: new Date(PERIOD.from.getTime() + 7 * DAY * 60_000) };
    const series = missSeries(all, missed, week.from, week.to, at(DAY + 30));
    expect(series.map((d) => d.date)).toEqual(['2026-12-01', '2026-12-02']);
    expect(series[0]).toEqual({ date: '2026-12-01', violations: 4, missed: 2, missRate: 0.5, causes: { ...noCauses(), near_threshold: 1, no_model: 1 } });
    expect(series[1]).toEqual({ date: '2026-12-02', violations: 1, missed: 1, missRate: 1, causes: { ...noCauses(), blind_spot: 1 } });
    // A past period: every day of it.
    expect(missSeries([], [], week.from, week.to, at(30 * DAY))).toHaveLength(7);
    expect(missSeries([], [], week.from, week.to, at(30 * DAY))[3]).toMatchObject({ violations: 0, missRate: null });
  });

  it('divides per-day figures by the days of the period that have begun', () => {
    expect(elapsedDays(PERIOD.from, new Date(PERIOD.from.getTime() + 7 * DAY * 60_000), at(DAY + 30))).toBe(2);
    expect(elapsedDays(PERIOD.from, PERIOD.to, at(30 * DAY))).toBe(1);
    expect(elapsedDays(PERIOD.from, PERIOD.to, at(-5))).toBe(1);
  });
});
