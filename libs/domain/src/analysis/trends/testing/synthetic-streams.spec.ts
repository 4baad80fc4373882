import { flaggedVolume, mulberry32, poissonSample, syntheticPopulation, termSeries } from './synthetic-streams';

describe('synthetic streams', () => {
  it('are the same for the same seed', () => {
    const a = syntheticPopulation({ seed: 3, hours: 72, firstStart: 24, steady: 5, bursting: 2, newTerms: 2 });
    const b = syntheticPopulation({ seed: 3, hours: 72, firstStart: 24, steady: 5, bursting: 2, newTerms: 2 });
    expect(a).toEqual(b);
    expect(a.terms).toHaveLength(9);
  });

  it('sample Poisson counts with the right mean on both sides of the method switch', () => {
    const rng = mulberry32(11);
    for (const lambda of [0.5, 5, 80]) {
      let total = 0;
      for (let i = 0; i < 4000; i++) total += poissonSample(lambda, rng);
      expect(total / 4000).toBeCloseTo(lambda, lambda < 10 ? 1 : 0);
    }
  });

  it('draw a new term as absent before its start, and a burst as its base before', () => {
    const totals = flaggedVolume({ hours: 48, meanPerHour: 1000 }, mulberry32(1));
    const fresh = termSeries('#new', totals, 1000, { kind: 'new', startHour: 30, perHour: 20, durationHours: 10 }, mulberry32(2));
    expect(fresh.counts.slice(0, 30).every((c) => c === 0)).toBe(true);
    expect(fresh.counts.slice(30, 40).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(fresh.counts.slice(40).every((c) => c === 0)).toBe(true);
    for (let h = 0; h < 48; h++) expect(fresh.counts[h]).toBeLessThanOrEqual(totals[h]);
  });
});
