import { pdqHammingDistanceWords, pdqHexToWords } from '../pdq/pdq-hash';
import { PDQ_HASH_WORDS } from '../pdq/pdq.constants';
import type { VpdqHashLike } from './vpdq-feature';
import {
  VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT,
  VPDQ_DISTANCE_THRESHOLD,
  VPDQ_QUALITY_THRESHOLD,
  VPDQ_QUERY_MATCH_THRESHOLD_PERCENT,
} from './vpdq.constants';

/**
 * How a frame distance is compared with the threshold.
 * - `inclusive` (`d <= threshold`): the product rule, and python-threatexchange
 *   (vpdq_brute_matcher.match_VPDQ_in_another uses `<=`; VPDQHashIndex does a
 *   faiss range search with radius threshold + 1, also `<=`), hence HMA.
 * - `exclusive` (`d < threshold`): the C++ reference, vpdq/cpp matchTwoHash.cpp
 *   findMatches, and its line-by-line regression check. At 31 it accepts 30 at most.
 */
export type VpdqDistanceComparison = 'inclusive' | 'exclusive';

export interface VpdqMatchOptions {
  /** Frame hashes below this quality are left out of both sides. Default 50 (`>=` keeps, as everywhere in the reference). */
  qualityThreshold?: number;
  /** Default 31. */
  distanceThreshold?: number;
  /** Default `inclusive` (`<= 31`); the C++ reference uses `exclusive`. */
  distanceComparison?: VpdqDistanceComparison;
  /** The query's matched share (percent) must reach this. Default 80, as python-threatexchange/HMA. */
  queryMatchThresholdPercent?: number;
  /** The compared video's matched share (percent) must reach this. Default 0, as python-threatexchange/HMA. */
  comparedMatchThresholdPercent?: number;
  /**
   * Count each distinct hash once per side (python-threatexchange `dedupe`), so
   * a long static scene does not outvote the rest. Default true. The C++
   * matchTwoHashBrute does not dedupe.
   */
  dedupe?: boolean;
}

export interface VpdqMatchResult {
  isMatch: boolean;
  /** Percent of the query's usable hashes within the distance of some compared hash. */
  queryMatchPercent: number;
  /** Percent of the compared video's usable hashes within the distance of some query hash. */
  comparedMatchPercent: number;
  queryMatchCount: number;
  /** Query hashes left after the quality filter (and dedupe): the percentage's denominator. */
  queryFeatureCount: number;
  comparedMatchCount: number;
  comparedFeatureCount: number;
}

interface PreparedHashes {
  words: Uint32Array;
  count: number;
}

/**
 * Brute-force bag-of-frames comparison of two vPDQ hashes (reference:
 * matchTwoHashBrute in C++, match_VPDQ_hash_brute in python-threatexchange).
 * Frame order and timestamps play no part. For each side, it counts the
 * hashes that lie within the distance of any hash of the other side, and
 * divides by that side's hash count. It is a match when both shares reach
 * their thresholds.
 *
 * Filtering order: quality filter, then dedupe, as python-threatexchange's
 * prepare_vpdq_feature (used by its index) does; its brute matcher dedupes
 * first. The two differ only when identical hashes carry different
 * qualities: this order keeps the hash if any copy is good enough.
 *
 * If either side has no usable hash, both shares are 0 and nothing matches
 * (the C++ reference's behaviour; the Python one divides by zero).
 */
export class VpdqMatcher {
  readonly qualityThreshold: number;
  readonly distanceThreshold: number;
  readonly distanceComparison: VpdqDistanceComparison;
  readonly queryMatchThresholdPercent: number;
  readonly comparedMatchThresholdPercent: number;
  readonly dedupe: boolean;
  /** Largest distance that counts, folding the comparison into one integer test. */
  private readonly maxDistance: number;

  constructor(options: VpdqMatchOptions = {}) {
    this.qualityThreshold = options.qualityThreshold ?? VPDQ_QUALITY_THRESHOLD;
    this.distanceThreshold = options.distanceThreshold ?? VPDQ_DISTANCE_THRESHOLD;
    this.distanceComparison = options.distanceComparison ?? 'inclusive';
    this.queryMatchThresholdPercent = options.queryMatchThresholdPercent ?? VPDQ_QUERY_MATCH_THRESHOLD_PERCENT;
    this.comparedMatchThresholdPercent = options.comparedMatchThresholdPercent ?? VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT;
    this.dedupe = options.dedupe ?? true;
    for (const [name, value] of [
      ['qualityThreshold', this.qualityThreshold],
      ['distanceThreshold', this.distanceThreshold],
      ['queryMatchThresholdPercent', this.queryMatchThresholdPercent],
      ['comparedMatchThresholdPercent', this.comparedMatchThresholdPercent],
    ] as const) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
    }
    if (this.distanceComparison !== 'inclusive' && this.distanceComparison !== 'exclusive') {
      throw new RangeError(`distanceComparison must be 'inclusive' or 'exclusive', got ${String(this.distanceComparison)}`);
    }
    // Hamming distances are integers: d < t is d <= ceil(t) - 1, d <= t is d <= floor(t).
    this.maxDistance = this.distanceComparison === 'inclusive' ? Math.floor(this.distanceThreshold) : Math.ceil(this.distanceThreshold) - 1;
  }

  match(query: Iterable<VpdqHashLike>, compared: Iterable<VpdqHashLike>): VpdqMatchResult {
    const q = this.prepare(query);
    const c = this.prepare(compared);
    if (q.count === 0 || c.count === 0) {
      return {
        isMatch: false,
        queryMatchPercent: 0,
        comparedMatchPercent: 0,
        queryMatchCount: 0,
        queryFeatureCount: q.count,
        comparedMatchCount: 0,
        comparedFeatureCount: c.count,
      };
    }
    const queryMatchCount = this.countMatched(q, c);
    const comparedMatchCount = this.countMatched(c, q);
    const queryMatchPercent = (queryMatchCount * 100) / q.count;
    const comparedMatchPercent = (comparedMatchCount * 100) / c.count;
    return {
      isMatch: queryMatchPercent >= this.queryMatchThresholdPercent && comparedMatchPercent >= this.comparedMatchThresholdPercent,
      queryMatchPercent,
      comparedMatchPercent,
      queryMatchCount,
      queryFeatureCount: q.count,
      comparedMatchCount,
      comparedFeatureCount: c.count,
    };
  }

  private prepare(features: Iterable<VpdqHashLike>): PreparedHashes {
    const kept: string[] = [];
    const seen = new Set<string>();
    for (const feature of features) {
      if (!(feature.quality >= this.qualityThreshold)) continue;
      const hex = feature.pdq.toLowerCase();
      if (this.dedupe) {
        if (seen.has(hex)) continue;
        seen.add(hex);
      }
      kept.push(hex);
    }
    // Word form once per hash: the pair loop below then costs 8 popcounts per pair.
    const words = new Uint32Array(kept.length * PDQ_HASH_WORDS);
    kept.forEach((hex, i) => pdqHexToWords(hex, words.subarray(i * PDQ_HASH_WORDS, (i + 1) * PDQ_HASH_WORDS)));
    return { words, count: kept.length };
  }

  /** How many hashes of `from` have at least one hash of `to` within the distance. */
  private countMatched(from: PreparedHashes, to: PreparedHashes): number {
    const W = PDQ_HASH_WORDS;
    let matched = 0;
    for (let i = 0; i < from.count; i++) {
      for (let j = 0; j < to.count; j++) {
        if (pdqHammingDistanceWords(from.words, to.words, i * W, j * W) <= this.maxDistance) {
          matched++;
          break;
        }
      }
    }
    return matched;
  }
}

/** One-off comparison with `new VpdqMatcher(options)`. */
export function matchVpdq(query: Iterable<VpdqHashLike>, compared: Iterable<VpdqHashLike>, options?: VpdqMatchOptions): VpdqMatchResult {
  return new VpdqMatcher(options).match(query, compared);
}
