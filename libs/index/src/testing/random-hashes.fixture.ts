import { PDQ_HASH_WORDS, pdqHexToWords, pdqWordsToHex } from '@loupe/hashing';

/*
 * Seeded random PDQ-like hashes for the specs and the benchmark: uniform
 * hashes, and copies at an exact Hamming distance from a given hash (the
 * planted near-duplicates whose distances the tests control).
 */

/** mulberry32: small, fast, and the same sequence on every run. */
export class SeededRandom {
  private state: number;
  private readonly chosen = new Uint32Array(PDQ_HASH_WORDS);

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [0, bound). */
  below(bound: number): number {
    return Math.floor((this.nextU32() / 0x100000000) * bound);
  }

  words(): Uint32Array {
    const words = new Uint32Array(PDQ_HASH_WORDS);
    for (let i = 0; i < PDQ_HASH_WORDS; i++) words[i] = this.nextU32();
    return words;
  }

  hex(): string {
    return pdqWordsToHex(this.words());
  }

  /** A copy of `words` with exactly `distance` distinct bits flipped. */
  atDistance(words: Uint32Array, distance: number, out = new Uint32Array(PDQ_HASH_WORDS)): Uint32Array {
    if (distance < 0 || distance > 256) throw new RangeError(`distance ${distance} is outside 0..256`);
    out.set(words);
    // Flip the complement's bits when that is shorter: picking k of 256 by rejection stays fast.
    const flipAll = distance > 128;
    const picks = flipAll ? 256 - distance : distance;
    const chosen = this.chosen.fill(0);
    for (let i = 0; i < picks; ) {
      const bit = this.nextU32() & 255;
      const mask = 1 << (bit & 31);
      if (chosen[bit >>> 5] & mask) continue;
      chosen[bit >>> 5] |= mask;
      i++;
    }
    for (let w = 0; w < PDQ_HASH_WORDS; w++) out[w] ^= flipAll ? ~chosen[w] : chosen[w];
    return out;
  }

  hexAtDistance(hex: string, distance: number): string {
    return pdqWordsToHex(this.atDistance(pdqHexToWords(hex), distance));
  }
}
