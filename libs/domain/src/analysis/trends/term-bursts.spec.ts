import { flaggedStream, termBurstCandidates, type FlaggedItem } from './term-bursts';
import { binOf, burstRuns, hourBins, HOUR_MS } from './trend-bins';

const START = Date.UTC(2026, 11, 1, 0, 0, 0);
let n = 0;
const item = (hour: number, hashtags: string[], policyIds = ['adult_nudity'], caption: string | null = null): FlaggedItem => ({
  contentId: `c${++n}`,
  postedAt: new Date(START + hour * HOUR_MS + 10 * 60_000),
  hashtags,
  caption,
  policyIds,
});

/** One flagged item an hour, all carrying #steady, then eight #burst items at hour 20. */
function stream(burstHour = 20): FlaggedItem[] {
  const items: FlaggedItem[] = [];
  for (let h = 0; h < 24; h++) items.push(item(h, ['steady', `daily${h}`]));
  for (let i = 0; i < 8; i++) items.push(item(burstHour, ['steady', 'burst', 'extra'], i < 6 ? ['violent_extremism'] : ['adult_nudity']));
  return items;
}

describe('hourBins', () => {
  it('ends on the hour at or before until', () => {
    const bins = hourBins(new Date(START + 5.5 * HOUR_MS), 5);
    expect([bins.start.getTime(), bins.until.getTime()]).toEqual([START, START + 5 * HOUR_MS]);
    expect([binOf(bins, new Date(START)), binOf(bins, new Date(START + 4.99 * HOUR_MS)), binOf(bins, new Date(START + 5 * HOUR_MS)), binOf(bins, new Date(START - 1))]).toEqual([0, 4, -1, -1]);
    expect(() => hourBins(new Date(), 0)).toThrow(RangeError);
  });
});

describe('termBurstCandidates', () => {
  it('flags the hashtag that bursts, in its first hour, and not the steady one', () => {
    const candidates = termBurstCandidates(stream(), hourBins(new Date(START + 24 * HOUR_MS), 24));
    const subjects = candidates.map((c) => c.subject);
    expect(subjects).toContain('#burst');
    expect(subjects).not.toContain('#steady');
    const burst = candidates.find((c) => c.subject === '#burst')!;
    expect(burst.firstSeenAt.toISOString()).toBe(new Date(START + 20 * HOUR_MS).toISOString());
    expect(burst.count).toBe(8);
    expect(burst.lift).toBeGreaterThan(3);
    expect(burst.policyId).toBe('violent_extremism');
    expect(burst.contentIds).toHaveLength(8);
    expect(burst.evidence).toMatchObject({ termKind: 'hashtag', items: 8, policies: { violent_extremism: 6, adult_nudity: 2 } });
    expect((burst.evidence.relatedTerms as { term: string }[]).map((r) => r.term).slice(0, 2)).toEqual(['#extra', '#steady']);
  });

  it('leaves a common hashtag alone when it swings within its usual range, even in a busy hour', () => {
    const items: FlaggedItem[] = [];
    for (let h = 0; h < 48; h++) {
      // 20 flagged items an hour (40 in the last: a raid of other content), #common on 5 to 8 of each 20.
      const volume = h === 47 ? 40 : 20;
      const common = [5, 7, 6, 8][h % 4] * (volume / 20);
      for (let i = 0; i < volume; i++) items.push(item(h, i < common ? ['common', `x${i}`] : [`x${i}`]));
    }
    const subjects = termBurstCandidates(items, hourBins(new Date(START + 48 * HOUR_MS), 48)).map((c) => c.subject);
    expect(subjects).not.toContain('#common');
  });

  it('sees nothing before the burst, as a scan that ends then would', () => {
    const before = termBurstCandidates(stream(), hourBins(new Date(START + 20 * HOUR_MS), 20));
    expect(before.map((c) => c.subject)).toEqual([]);
  });

  it('gives no series to a term that never reaches the minimum count in an hour', () => {
    const { series } = flaggedStream(stream(), hourBins(new Date(START + 24 * HOUR_MS), 24));
    expect(series.map((s) => s.term)).toEqual(['#burst', '#extra', '#steady']);
  });

  it('counts caption words when asked, and leaves them out otherwise', () => {
    const items = [...Array.from({ length: 20 }, (_, h) => item(h, ['x'])), ...Array.from({ length: 8 }, () => item(20, ['x'], ['spam'], 'cheap watches here'))];
    const bins = hourBins(new Date(START + 21 * HOUR_MS), 21);
    expect(termBurstCandidates(items, bins).map((c) => c.subject).sort()).toEqual(['cheap', 'watches']);
    expect(termBurstCandidates(items, bins, { captions: false })).toEqual([]);
  });
});

describe('burstRuns', () => {
  it('joins flagged hours a few apart into one burst', () => {
    const hour = (h: number) => ({ hour: h, count: 5, total: 10, expected: 1, lift: h, pValue: 1e-6, weight: null });
    const runs = burstRuns({ term: 't', detector: 'poisson', flaggedHours: [], firstFlaggedHour: 1, flagged: [hour(1), hour(3), hour(10)], peak: null, totalCount: 0, totalVolume: 0 });
    expect(runs.map((r) => [r.firstHour, r.lastHour, r.count, r.peak.hour])).toEqual([[1, 3, 10, 3], [10, 10, 5, 10]]);
  });
});
