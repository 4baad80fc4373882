import { pdqDctMatrix, dct64To16 } from './pdq-dct';
import { dctToHashWords, dihedralDct } from './pdq-dihedral';
import { pdqWordsToHex } from './pdq-hash';
import { pdqQuality } from './pdq-quality';
import { torbenMedian } from './torben-median';
import { naiveBitsToHex, naiveDct, naiveDihedral, naiveMedian, naiveQuality } from './testing/naive-pdq.fixture';

function randomBlock(count: number, seed: number, scale = 255): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 4294967296) * scale;
  });
}

describe('PDQ building blocks', () => {
  describe('Torben median', () => {
    it('returns the lower median of 256 values', () => {
      for (let seed = 1; seed < 40; seed++) {
        const values = randomBlock(256, seed, 2000).map((v) => v - 1000);
        expect(torbenMedian(values)).toBe(naiveMedian(values));
      }
    });

    it('handles ties, constant input and odd counts', () => {
      const ties = Float32Array.from({ length: 256 }, (_, i) => i % 3);
      expect(torbenMedian(ties)).toBe(1);
      expect(torbenMedian(new Float32Array(256).fill(-2.5))).toBe(-2.5);
      expect(torbenMedian(Float32Array.from([5, 1, 4, 2, 3]))).toBe(3);
      expect(torbenMedian(Float32Array.from([4, 1, 3, 2]))).toBe(2);
      expect(torbenMedian(Float32Array.from([7]))).toBe(7);
      expect(() => torbenMedian(new Float32Array(0))).toThrow(RangeError);
    });

    it('only looks at the first `count` values', () => {
      expect(torbenMedian(Float32Array.from([3, 1, 2, 100, 100, 100]), 3)).toBe(2);
    });
  });

  describe('DCT', () => {
    it('rounds its basis to float32 once, like the reference', () => {
      const d = pdqDctMatrix();
      expect(d).toHaveLength(16 * 64);
      expect(d[0]).toBe(Math.fround(Math.fround(Math.sqrt(2 / 64)) * Math.cos(Math.PI / 2 / 64)));
    });

    it('matches a plain float32 matrix product, bit for bit', () => {
      const t = new Float32Array(16 * 64);
      const b = new Float32Array(256);
      for (const [seed, scale] of [
        [1, 255],
        [2, 1],
        [3, 1e-3],
      ]) {
        const a = randomBlock(64 * 64, seed, scale);
        dct64To16(a, t, b);
        expect(Array.from(b)).toEqual(Array.from(naiveDct(a)));
      }
      const flat = new Float32Array(64 * 64).fill(128);
      dct64To16(flat, t, b);
      expect(Array.from(b)).toEqual(Array.from(naiveDct(flat)));
    });
  });

  describe('quality', () => {
    it('matches the plain metric', () => {
      for (const scale of [0, 3, 20, 255]) {
        const a = randomBlock(64 * 64, scale + 1, scale);
        expect(pdqQuality(a)).toBe(naiveQuality(a));
      }
    });

    it('saturates at 100 and ignores sub-threshold steps', () => {
      const checker = Float32Array.from({ length: 4096 }, (_, i) => (((i >> 6) + i) & 1 ? 255 : 0));
      expect(pdqQuality(checker)).toBe(100);
      // Steps of 2.5 grey levels truncate to 0 in trunc((d * 100) / 255).
      const ramp = Float32Array.from({ length: 4096 }, (_, i) => (i & 63) * 2.5);
      expect(pdqQuality(ramp)).toBe(0);
    });
  });

  describe('dihedral variants and bits', () => {
    it('match the reference loops and hex layout', () => {
      const dct = randomBlock(256, 9, 100).map((v) => v - 50);
      const expected = naiveDihedral(dct);
      const out = new Float32Array(256);
      const words = new Uint32Array(8);
      for (let k = 0; k < 8; k++) {
        dihedralDct(dct, k, out);
        expect(Array.from(out)).toEqual(Array.from(expected[k]));
        const median = naiveMedian(out);
        dctToHashWords(out, median, words);
        expect(pdqWordsToHex(words)).toBe(naiveBitsToHex(out, median));
      }
    });

    it('set exactly the bits strictly above the median', () => {
      const dct = Float32Array.from({ length: 256 }, (_, k) => k);
      const words = new Uint32Array(8);
      dctToHashWords(dct, 127, words);
      expect(pdqWordsToHex(words)).toBe(`${'f'.repeat(32)}${'0'.repeat(32)}`);
      dctToHashWords(dct, 0, words);
      expect(pdqWordsToHex(words)).toBe(`${'f'.repeat(63)}e`);
    });
  });
});
