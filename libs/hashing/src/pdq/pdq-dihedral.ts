import { PDQ_DCT_SIZE, PDQ_HASH_WORDS } from './pdq.constants';

const K = PDQ_DCT_SIZE;

/*
 * The 8 dihedral variants come from the original image's 16x16 DCT block
 * instead of re-hashing transformed pixels: mirroring an axis negates the
 * basis functions of odd frequency along it (slot 0 holds frequency 1, so
 * those are the even slots), and swapping the axes transposes the block.
 * The sign patterns are the reference's dct16OriginalTo* functions.
 */

interface DihedralRule {
  /** Output (j, i) instead of (i, j). */
  readonly transpose: boolean;
  /** Whether coefficient (i, j) of the original is negated. */
  negate(i: number, j: number): boolean;
  /**
   * Variants with equal sign rules (up to transposition) hold the same
   * multiset of values and hence the same median; this names the class.
   */
  readonly medianClass: number;
}

/** In PDQ_DIHEDRAL_ORDER. */
export const DIHEDRAL_RULES: readonly DihedralRule[] = [
  { transpose: false, negate: () => false, medianClass: 0 }, // original
  { transpose: true, negate: (_i, j) => (j & 1) === 0, medianClass: 2 }, // rotate 90
  { transpose: false, negate: (i, j) => ((i + j) & 1) === 1, medianClass: 3 }, // rotate 180
  { transpose: true, negate: (i) => (i & 1) === 0, medianClass: 1 }, // rotate 270
  { transpose: false, negate: (i) => (i & 1) === 0, medianClass: 1 }, // flip X
  { transpose: false, negate: (_i, j) => (j & 1) === 0, medianClass: 2 }, // flip Y
  { transpose: true, negate: () => false, medianClass: 0 }, // flip +1 (transpose)
  { transpose: true, negate: (i, j) => ((i + j) & 1) === 1, medianClass: 3 }, // flip -1 (anti-transpose)
];

/**
 * Per variant, a source index and sign for every output slot, precomputed
 * so producing a variant is one gather-multiply pass.
 */
export const DIHEDRAL_GATHER: readonly { source: Uint8Array; sign: Float32Array }[] = DIHEDRAL_RULES.map((rule) => {
  const source = new Uint8Array(K * K);
  const sign = new Float32Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const to = rule.transpose ? j * K + i : i * K + j;
      source[to] = i * K + j;
      sign[to] = rule.negate(i, j) ? -1 : 1;
    }
  }
  return { source, sign };
});

/** Writes variant `index` (PDQ_DIHEDRAL_ORDER) of a 16x16 DCT block to `out`. */
export function dihedralDct(dct: Float32Array, index: number, out: Float32Array): void {
  const { source, sign } = DIHEDRAL_GATHER[index];
  for (let k = 0; k < K * K; k++) out[k] = dct[source[k]] * sign[k];
}

/**
 * Sets bit k (k = 16i + j) when coefficient (i, j) is strictly above the
 * median, in the word layout of pdq-hash.ts, at `offset` in `words`.
 */
export function dctToHashWords(dct: Float32Array, median: number, words: Uint32Array, offset = 0): void {
  for (let w = 0; w < PDQ_HASH_WORDS; w++) {
    // words[offset + w] holds bits 32 * (7 - w) .. 32 * (7 - w) + 31
    const base = 32 * (PDQ_HASH_WORDS - 1 - w);
    let word = 0;
    for (let bit = 31; bit >= 0; bit--) word = (word << 1) | (dct[base + bit] > median ? 1 : 0);
    words[offset + w] = word >>> 0;
  }
}
