import { randomUUID } from 'node:crypto';
import { inQualitySample, sampleDraw } from './quality-sample';

describe('inQualitySample', () => {
  const ids = Array.from({ length: 10_000 }, () => randomUUID());

  it('samples nothing at rate 0 and everything at rate 1', () => {
    expect(ids.filter((id) => inQualitySample(id, 0))).toHaveLength(0);
    expect(ids.filter((id) => inQualitySample(id, 1))).toHaveLength(ids.length);
  });

  it('samples about the share it is given', () => {
    const sampled = ids.filter((id) => inQualitySample(id, 0.1)).length;
    // Binomial(10,000, 0.1): the standard deviation is 30, so ±150 is five of them.
    expect(sampled).toBeGreaterThan(850);
    expect(sampled).toBeLessThan(1150);
  });

  it('gives the same answer for the same id, so a retried job opens no second case', () => {
    for (const id of ids.slice(0, 200)) {
      expect(inQualitySample(id, 0.3)).toBe(inQualitySample(id, 0.3));
      expect(sampleDraw(id)).toBe(sampleDraw(id));
    }
    // A fixed id pins the mapping itself: a change to the hash would move every item in or out of the sample.
    expect(sampleDraw('00000000-0000-4000-8000-000000000000')).toBeCloseTo(0.857426993752767, 12);
  });

  it('keeps a sample nested as the rate rises: an item sampled at 5% is sampled at 10%', () => {
    for (const id of ids) if (inQualitySample(id, 0.05)) expect(inQualitySample(id, 0.1)).toBe(true);
  });

  it('draws in [0, 1)', () => {
    for (const id of ids) {
      const draw = sampleDraw(id);
      expect(draw).toBeGreaterThanOrEqual(0);
      expect(draw).toBeLessThan(1);
    }
  });
});
