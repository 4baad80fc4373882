import { pdqHammingDistance } from '../pdq/pdq-hash';
import type { VpdqHashLike } from './vpdq-feature';
import { VpdqMatcher, matchVpdq } from './vpdq-matcher';
import { VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT, VPDQ_DISTANCE_THRESHOLD, VPDQ_QUALITY_THRESHOLD, VPDQ_QUERY_MATCH_THRESHOLD_PERCENT } from './vpdq.constants';

/** Deterministic pseudo-random hash (xorshift), far from any other in practice. */
function randomHash(seed: number): string {
  let state = (seed * 2654435761) >>> 0 || 1;
  let hex = '';
  for (let i = 0; i < 64; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    hex += ((state >>> 0) & 15).toString(16);
  }
  return hex;
}

/** `hex` with its first `bits` bits flipped. */
function flip(hex: string, bits: number): string {
  const out = hex.split('').map((c) => parseInt(c, 16));
  for (let b = 0; b < bits; b++) out[b >> 2] ^= 8 >> (b & 3);
  return out.map((n) => n.toString(16)).join('');
}

const f = (pdq: string, quality = 100): VpdqHashLike => ({ pdq, quality });
const base = Array.from({ length: 10 }, (_, i) => randomHash(i + 1));

describe('VpdqMatcher defaults', () => {
  it('are the python-threatexchange / HMA ones', () => {
    const m = new VpdqMatcher();
    expect([m.qualityThreshold, m.distanceThreshold, m.distanceComparison, m.queryMatchThresholdPercent, m.comparedMatchThresholdPercent, m.dedupe]).toEqual([
      50,
      31,
      'inclusive',
      80,
      0,
      true,
    ]);
    expect([VPDQ_QUALITY_THRESHOLD, VPDQ_DISTANCE_THRESHOLD, VPDQ_QUERY_MATCH_THRESHOLD_PERCENT, VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT]).toEqual([
      50, 31, 80, 0,
    ]);
  });
});

describe('matchVpdq', () => {
  it('matches a video with itself at 100 % both ways', () => {
    expect(matchVpdq(base.map((h) => f(h)), base.map((h) => f(h)))).toMatchObject({
      isMatch: true,
      queryMatchPercent: 100,
      comparedMatchPercent: 100,
      queryFeatureCount: 10,
    });
  });

  it('counts frame distance 31 as a match by default (<=) and not with the reference C++ rule (<)', () => {
    const query = [f(flip(base[0], 31))];
    const target = [f(base[0])];
    expect(pdqHammingDistance(query[0].pdq, target[0].pdq)).toBe(31);
    expect(matchVpdq(query, target).queryMatchPercent).toBe(100);
    expect(matchVpdq(query, target, { distanceComparison: 'exclusive' }).queryMatchPercent).toBe(0);
    expect(matchVpdq([f(flip(base[0], 30))], target, { distanceComparison: 'exclusive' }).queryMatchPercent).toBe(100);
    expect(matchVpdq([f(flip(base[0], 32))], target).queryMatchPercent).toBe(0);
    expect(matchVpdq([f(flip(base[0], 20))], target, { distanceThreshold: 19 }).queryMatchPercent).toBe(0);
  });

  it('computes both shares: a clip inside a longer video', () => {
    const target = base.map((h) => f(h));
    const query = base.slice(2, 6).map((h) => f(flip(h, 5)));
    const result = matchVpdq(query, target);
    expect(result).toMatchObject({ queryMatchPercent: 100, comparedMatchPercent: 40, queryMatchCount: 4, comparedMatchCount: 4, isMatch: true });
    // The other way round the query share is 40 %: below the 80 % default.
    expect(matchVpdq(target, query)).toMatchObject({ queryMatchPercent: 40, comparedMatchPercent: 100, isMatch: false });
  });

  it('decides with both thresholds, inclusive', () => {
    const target = base.map((h) => f(h));
    const query = [...base.slice(0, 8).map((h) => f(h)), f(randomHash(99)), f(randomHash(98))]; // 80 % of the query matches
    expect(matchVpdq(query, target)).toMatchObject({ queryMatchPercent: 80, comparedMatchPercent: 80, isMatch: true });
    expect(matchVpdq(query, target, { queryMatchThresholdPercent: 81 }).isMatch).toBe(false);
    expect(matchVpdq(query, target, { comparedMatchThresholdPercent: 80 }).isMatch).toBe(true);
    expect(matchVpdq(query, target, { comparedMatchThresholdPercent: 90 }).isMatch).toBe(false);
  });

  it('ignores frames below the quality threshold on both sides', () => {
    const query = [f(base[0]), f(base[1], 49), f(base[2], 50)];
    const target = [f(base[0]), f(base[2]), f(base[1]), f(base[3], 10)];
    const result = matchVpdq(query, target);
    expect(result).toMatchObject({ queryFeatureCount: 2, comparedFeatureCount: 3, queryMatchPercent: 100 });
    expect(result.comparedMatchPercent).toBeCloseTo(200 / 3, 10);
    expect(matchVpdq(query, target, { qualityThreshold: 0 }).queryFeatureCount).toBe(3);
  });

  it('counts identical hashes once unless told otherwise', () => {
    // A long static scene (the same hash 8 times) and 2 other frames; only the scene matches.
    const query = [...Array(8).fill(f(base[0])), f(randomHash(50)), f(randomHash(51))];
    const target = [f(base[0])];
    expect(matchVpdq(query, target)).toMatchObject({ queryFeatureCount: 3, queryMatchCount: 1 });
    expect(matchVpdq(query, target).isMatch).toBe(false);
    expect(matchVpdq(query, target, { dedupe: false })).toMatchObject({ queryFeatureCount: 10, queryMatchPercent: 80, isMatch: true });
    expect(matchVpdq([f(base[0]), f(base[0].toUpperCase())], target).queryFeatureCount).toBe(1);
  });

  it('keeps a hash whose first copy is of low quality (quality filter before dedupe)', () => {
    expect(matchVpdq([f(base[0], 10), f(base[0], 90)], [f(base[0])]).queryFeatureCount).toBe(1);
  });

  it('does not match unrelated hashes', () => {
    const result = matchVpdq(base.map((h) => f(h)), Array.from({ length: 10 }, (_, i) => f(randomHash(1000 + i))));
    expect(result).toMatchObject({ queryMatchPercent: 0, comparedMatchPercent: 0, isMatch: false });
  });

  it('reports 0 % and no match when a side has no usable hash', () => {
    expect(matchVpdq([], base.map((h) => f(h)))).toMatchObject({ isMatch: false, queryMatchPercent: 0, comparedMatchPercent: 0 });
    expect(matchVpdq([f(base[0], 0)], [f(base[0], 0)], { comparedMatchThresholdPercent: 0, queryMatchThresholdPercent: 0 }).isMatch).toBe(false);
  });

  it('refuses malformed hashes and options', () => {
    expect(() => matchVpdq([f('abc')], [f(base[0])])).toThrow(/Invalid PDQ hash/);
    expect(() => new VpdqMatcher({ queryMatchThresholdPercent: -1 })).toThrow(RangeError);
    expect(() => new VpdqMatcher({ distanceComparison: 'lt' as never })).toThrow(RangeError);
  });
});
