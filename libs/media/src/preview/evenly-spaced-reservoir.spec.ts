import { EvenlySpacedReservoir } from './evenly-spaced-reservoir';

describe('EvenlySpacedReservoir', () => {
  it('keeps everything from a stream shorter than its capacity', () => {
    const reservoir = new EvenlySpacedReservoir<number>(5);
    [0, 1, 2, 3, 4].forEach((n) => reservoir.offer(n));
    expect(reservoir.items()).toEqual([0, 1, 2, 3, 4]);
    expect(reservoir.spacing()).toBe(1);
  });

  it('keeps an evenly spaced subset of a long stream, from the first item to near the last', () => {
    for (const length of [6, 19, 100, 1000, 4097]) {
      const reservoir = new EvenlySpacedReservoir<number>(19);
      for (let n = 0; n < length; n++) reservoir.offer(n);
      const items = reservoir.items();
      expect(items.length).toBeLessThanOrEqual(19);
      expect(items.length).toBeGreaterThanOrEqual(Math.min(length, 10));
      expect(items[0]).toBe(0);
      for (let i = 1; i < items.length; i++) expect(items[i] - items[i - 1]).toBe(reservoir.spacing());
      expect(length - 1 - items[items.length - 1]).toBeLessThan(reservoir.spacing());
    }
  });

  it('refuses a capacity below 2', () => {
    expect(() => new EvenlySpacedReservoir(1)).toThrow(RangeError);
  });
});
