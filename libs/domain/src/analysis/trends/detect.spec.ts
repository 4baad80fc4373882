import { DEFAULT_BURST_DETECTOR, detectTermBursts } from './detect';
import { cleanDoubling, sparseSeries } from './testing/scenarios';

describe('detectTermBursts', () => {
  const steady = { term: '#steady', counts: new Array<number>(120).fill(10), totals: new Array<number>(120).fill(1000) };
  const series = [steady, cleanDoubling('#burst', 120, 100, 4), sparseSeries('#new', 120, 1000, { 90: 15 })];

  it('returns only the terms with a flagged hour, the highest peak lift first', () => {
    const results = detectTermBursts(series);
    expect(results.map((r) => r.term)).toEqual(['#new', '#burst']);
    expect(results.every((r) => r.detector === DEFAULT_BURST_DETECTOR)).toBe(true);
  });

  it('runs the detector asked for', () => {
    const results = detectTermBursts(series, { detector: 'kleinberg' });
    expect(results.map((r) => [r.term, r.detector])).toEqual([
      ['#new', 'kleinberg'],
      ['#burst', 'kleinberg'],
    ]);
  });
});
