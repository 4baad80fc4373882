import { detectPoissonBursts } from './poisson-burst';
import { cleanDoubling, sparseSeries, tallyWeeks, weekScenario } from './testing/scenarios';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('detectPoissonBursts', () => {
  it('flags a noise-free doubling burst within two hours of its start, and nothing before', () => {
    // From 1 an hour the third hour's 8 is not yet enough (p = 1.02e-5); 16 at the fourth is.
    for (const base of [2, 4, 10]) {
      const result = detectPoissonBursts(cleanDoubling('#burst', 120, 100, base));
      expect(result.firstFlaggedHour).toBeGreaterThanOrEqual(100);
      expect(result.firstFlaggedHour).toBeLessThanOrEqual(102);
    }
  });

  it('over 20 simulated weeks: the burst within two hours in most, the step at once, no steady term ever', () => {
    const tally = tallyWeeks(SEEDS, (s) => detectPoissonBursts(s));
    // Measured 17 of 20: the burst starts in the night's quiet hours, and in
    // three weeks its first hours drew counts (e.g. 2, 3, 8 against 2 expected)
    // that no test this strict on steady terms can tell from noise.
    expect(tally.burstWithin2).toBeGreaterThanOrEqual(16);
    expect(tally.stepWithin1).toBe(20);
    expect(tally.early).toBe(0);
    expect(tally.steadyFlagged).toEqual([]);
  });

  it('reports the flagged hour with its lift, p-value and counts against the trailing baseline', () => {
    const series = cleanDoubling('#burst', 120, 100, 4);
    const result = detectPoissonBursts(series);
    const first = result.flagged[0];
    expect(first.hour).toBe(result.firstFlaggedHour);
    expect(first.count).toBe(series.counts[first.hour]);
    expect(first.total).toBe(1000);
    // The 48 hours before it, plus the prior's one occurrence, over their 48,000 items.
    const baseline = series.counts.slice(first.hour - 48, first.hour).reduce((a, b) => a + b, 0);
    expect(first.expected).toBeCloseTo(((baseline + 1) / 48_000) * 1000, 10);
    expect(first.lift).toBeCloseTo(first.count / first.expected, 10);
    expect(first.pValue).toBeLessThanOrEqual(1e-5);
    expect(result.peak?.lift).toBeGreaterThanOrEqual(first.lift);
    expect(result.totalCount).toBe(series.counts.reduce((a, b) => a + b, 0));
  });

  it('flags a brand-new hashtag seen 15 times in an hour, not one seen once or 3 times', () => {
    const at = 60;
    expect(detectPoissonBursts(sparseSeries('#new', 72, 1000, { [at]: 15 })).flaggedHours).toEqual([at]);
    expect(detectPoissonBursts(sparseSeries('#once', 72, 1000, { [at]: 1 })).flaggedHours).toEqual([]);
    expect(detectPoissonBursts(sparseSeries('#thrice', 72, 1000, { [at]: 3 })).flaggedHours).toEqual([]);
    const hit = detectPoissonBursts(sparseSeries('#new', 72, 1000, { [at]: 15 })).flagged[0];
    // One pseudo-occurrence over 48 h of 1,000 flagged items an hour: 1/48 expected this hour.
    expect(hit.expected).toBeCloseTo(1000 / 48_000, 10);
    expect(hit.count).toBe(15);
  });

  it("judges rates against volume: a term that grows with its hour's volume is not a burst", () => {
    const hours = 96;
    const totals = Array.from({ length: hours }, (_, h) => (h === 80 ? 10_000 : 1000));
    const counts = totals.map((d) => d / 100);
    expect(detectPoissonBursts({ term: '#tracks', counts, totals }).flaggedHours).toEqual([]);
  });

  it('judges each hour on earlier hours only: a prefix gives the same flags', () => {
    const week = weekScenario(7);
    const full = detectPoissonBursts(week.burst).flaggedHours;
    const cut = week.burstStart + 4;
    const prefix = detectPoissonBursts({ term: '#burst', counts: week.burst.counts.slice(0, cut), totals: week.burst.totals.slice(0, cut) });
    expect(prefix.flaggedHours).toEqual(full.filter((h) => h < cut));
  });

  it('lets a term with swings of its own jump further before it counts (over-dispersion)', () => {
    // The same 60 at hour 80 against an average of 15: a flat history flags it, a history swinging 0-30 does not.
    const hours = 81;
    const flat = Array.from({ length: hours }, (_, h) => (h === 80 ? 60 : 15));
    const swinging = Array.from({ length: hours }, (_, h) => (h === 80 ? 60 : h % 2 ? 30 : 0));
    const totals = new Array<number>(hours).fill(1000);
    expect(detectPoissonBursts({ term: '#flat', counts: flat, totals }).flaggedHours).toEqual([80]);
    expect(detectPoissonBursts({ term: '#swings', counts: swinging, totals }).flaggedHours).toEqual([]);
    expect(detectPoissonBursts({ term: '#swings', counts: swinging, totals }, { overdispersion: false }).flaggedHours).toEqual([80]);
  });

  it('refuses series whose counts and totals disagree', () => {
    expect(() => detectPoissonBursts({ term: '#x', counts: [1, 2], totals: [10] })).toThrow(RangeError);
    expect(() => detectPoissonBursts({ term: '#x', counts: [11], totals: [10] })).toThrow(RangeError);
  });
});
