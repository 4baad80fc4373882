import { pdqHammingDistance } from './pdq-hash';
import { PdqHasher, pdqHash, pdqHashDihedral } from './pdq-hasher';
import { PDQ_MATCH_DISTANCE, PDQ_ZERO_HASH } from './pdq.constants';
import { rgbToLuma } from './rgb-luma';
import { naiveLuma, naivePdqFromLuma } from './testing/naive-pdq.fixture';

/*
 * PdqHasher against the plain implementation in testing/naive-pdq.fixture.ts
 * on inputs the shared vectors do not cover, plus API behaviour. None of
 * this needs ../shared.
 */

type Pattern = 'noise' | 'smooth' | 'flat' | 'stripes';

/** Deterministic test images; "flat" and "stripes" make ties in the DCT that float rounding decides. */
function makeRgb(width: number, height: number, pattern: Pattern, seed = 1): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      let r: number;
      let g: number;
      let b: number;
      switch (pattern) {
        case 'noise':
          r = rand() * 256;
          g = rand() * 256;
          b = rand() * 256;
          break;
        case 'smooth':
          r = 128 + 90 * Math.sin(x / 17 + seed) + 20 * rand();
          g = (255 * y) / height;
          b = 128 + 90 * Math.cos((x + y) / 29);
          break;
        case 'flat':
          r = g = b = 77;
          break;
        case 'stripes':
          r = g = b = (x >> 2) & 1 ? 200 : 40;
          break;
      }
      rgb[i] = r;
      rgb[i + 1] = g;
      rgb[i + 2] = b;
    }
  }
  return rgb;
}

/** Element-wise identity; Jest's toEqual is far too slow on large typed arrays. */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Moves every pixel with `map`, giving a width x height -> outWidth x outHeight image. */
function transformRgb(
  src: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  map: (x: number, y: number) => [number, number],
): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [tx, ty] = map(x, y);
      out.set(src.subarray((y * width + x) * 3, (y * width + x) * 3 + 3), (ty * outWidth + tx) * 3);
    }
  }
  return out;
}

const SIZES: [number, number][] = [
  [5, 5],
  [6, 9],
  [63, 64],
  [64, 64],
  [65, 64],
  [64, 200],
  [127, 129],
  [200, 131],
  [257, 300],
  [385, 77],
  [640, 90],
  [513, 520],
  [1030, 70],
];

describe('PdqHasher', () => {
  const hasher = new PdqHasher();

  describe('matches the plain implementation', () => {
    it.each(SIZES)('%ix%i', (width, height) => {
      for (const pattern of ['noise', 'smooth', 'flat', 'stripes'] as const) {
        const rgb = makeRgb(width, height, pattern, width * 31 + height);
        const luma = naiveLuma(rgb, width, height);
        const expected = naivePdqFromLuma(luma, width, height, true);
        const expectedDihedral = naivePdqFromLuma(luma, width, height, false);

        expect(sameValues(rgbToLuma(rgb, width, height), luma)).toBe(true);
        expect(hasher.hash(rgb, width, height)).toEqual({ hash: expected.hash, quality: expected.quality });
        expect(hasher.hashDihedral(rgb, width, height)).toEqual({
          hashes: expectedDihedral.dihedral,
          quality: expectedDihedral.quality,
        });
        expect(hasher.hashFromLuma(luma, width, height)).toEqual({ hash: expected.hash, quality: expected.quality });
        expect(hasher.hashDihedralFromLuma(luma, width, height).hashes).toEqual(expectedDihedral.dihedral);
      }
    });

    it('gives the same results from a fresh hasher and a reused one, in any size order', () => {
      const sizes: [number, number][] = [
        [700, 500],
        [9, 7],
        [320, 1000],
        [64, 64],
        [700, 500],
      ];
      const images = sizes.map(([w, h], i) => makeRgb(w, h, 'smooth', i + 5));
      const fresh = sizes.map(([w, h], i) => new PdqHasher().hashDihedral(images[i], w, h));
      const reused = sizes.map(([w, h], i) => hasher.hashDihedral(images[i], w, h));
      expect(reused).toEqual(fresh);
    });
  });

  describe('degenerate input', () => {
    it.each([
      [0, 0],
      [4, 4],
      [1, 1000],
      [1000, 4],
      [4, 1000],
    ])('%ix%i hashes to zero with quality 0', (width, height) => {
      const rgb = makeRgb(width, height, 'noise');
      expect(hasher.hash(rgb, width, height)).toEqual({ hash: PDQ_ZERO_HASH, quality: 0 });
      expect(hasher.hashDihedral(rgb, width, height)).toEqual({
        hashes: new Array(8).fill(PDQ_ZERO_HASH),
        quality: 0,
      });
      const luma = new Float32Array(width * height);
      expect(hasher.hashFromLuma(luma, width, height).hash).toBe(PDQ_ZERO_HASH);
    });

    it('hashes the minimum size of 5x5', () => {
      const result = hasher.hash(makeRgb(5, 5, 'noise'), 5, 5);
      expect(result.hash).not.toBe(PDQ_ZERO_HASH);
      expect(result.quality).toBeGreaterThan(0);
    });

    it('gives a flat image quality 0', () => {
      expect(hasher.hash(makeRgb(100, 80, 'flat'), 100, 80).quality).toBe(0);
    });
  });

  describe('input handling', () => {
    it('rejects buffers smaller than the stated size', () => {
      expect(() => hasher.hash(new Uint8Array(3 * 10 * 10 - 1), 10, 10)).toThrow(RangeError);
      expect(() => hasher.hashDihedral(new Uint8Array(10), 10, 10)).toThrow(RangeError);
      expect(() => hasher.hashFromLuma(new Float32Array(99), 10, 10)).toThrow(RangeError);
      expect(() => rgbToLuma(new Uint8Array(10), 10, 10)).toThrow(RangeError);
    });

    it.each([
      [-1, 10],
      [10.5, 10],
      [NaN, 10],
      [10, Infinity],
    ])('rejects the size %p x %p', (width, height) => {
      expect(() => hasher.hash(new Uint8Array(1000), width, height)).toThrow(RangeError);
    });

    it('does not modify its input', () => {
      const rgb = makeRgb(150, 120, 'noise');
      const rgbCopy = rgb.slice();
      const luma = rgbToLuma(rgb, 150, 120);
      const lumaCopy = luma.slice();
      hasher.hashDihedral(rgb, 150, 120);
      hasher.hashDihedralFromLuma(luma, 150, 120);
      hasher.hashFromLuma(luma, 150, 120);
      expect(sameValues(rgb, rgbCopy)).toBe(true);
      expect(sameValues(luma, lumaCopy)).toBe(true);
    });

    it('reads Buffers at any byte offset and ignores trailing bytes', () => {
      const rgb = makeRgb(131, 97, 'smooth');
      const expected = hasher.hash(rgb, 131, 97);
      for (const offset of [1, 2, 3, 5]) {
        const backing = Buffer.alloc(rgb.length + offset + 7, 0xee);
        backing.set(rgb, offset);
        expect(hasher.hash(backing.subarray(offset), 131, 97)).toEqual(expected);
      }
    });

    it('offers per-thread convenience functions', () => {
      const rgb = makeRgb(90, 90, 'smooth');
      expect(pdqHash(rgb, 90, 90)).toEqual(hasher.hash(rgb, 90, 90));
      expect(pdqHashDihedral(rgb, 90, 90)).toEqual(hasher.hashDihedral(rgb, 90, 90));
    });
  });

  describe('perceptual behaviour', () => {
    const width = 300;
    const height = 200;
    const base = makeRgb(width, height, 'smooth', 3);
    const baseHash = hasher.hash(base, width, height).hash;

    it('is deterministic', () => {
      expect(new PdqHasher().hash(base, width, height).hash).toBe(baseHash);
    });

    it('changes when the picture changes', () => {
      const edited = base.slice();
      for (let y = 20; y < 120; y++) edited.fill(255, (y * width + 30) * 3, (y * width + 150) * 3); // white box
      const distance = pdqHammingDistance(baseHash, hasher.hash(edited, width, height).hash);
      expect(distance).toBeGreaterThan(PDQ_MATCH_DISTANCE);

      const other = makeRgb(width, height, 'noise', 99);
      expect(pdqHammingDistance(baseHash, hasher.hash(other, width, height).hash)).toBeGreaterThan(PDQ_MATCH_DISTANCE);
    });

    it('barely moves when one pixel changes', () => {
      const edited = base.slice();
      edited[(100 * width + 100) * 3] ^= 0x80;
      const distance = pdqHammingDistance(baseHash, hasher.hash(edited, width, height).hash);
      expect(distance).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
    });

    it('orders the dihedral hashes like the reference: each is the nearest to its physical transform', () => {
      const w = width;
      const h = height;
      const transforms: [string, Uint8Array, number, number][] = [
        ['original', base, w, h],
        ['rotate 90 ccw', transformRgb(base, w, h, h, (x, y) => [y, w - 1 - x]), h, w],
        ['rotate 180', transformRgb(base, w, h, w, (x, y) => [w - 1 - x, h - 1 - y]), w, h],
        ['rotate 270 ccw', transformRgb(base, w, h, h, (x, y) => [h - 1 - y, x]), h, w],
        ['flip x (top-bottom)', transformRgb(base, w, h, w, (x, y) => [x, h - 1 - y]), w, h],
        ['flip y (mirror)', transformRgb(base, w, h, w, (x, y) => [w - 1 - x, y]), w, h],
        ['transpose', transformRgb(base, w, h, h, (x, y) => [y, x]), h, w],
        ['anti-transpose', transformRgb(base, w, h, h, (x, y) => [h - 1 - y, w - 1 - x]), h, w],
      ];
      const { hashes } = hasher.hashDihedral(base, w, h);
      transforms.forEach(([name, rgb, tw, th], k) => {
        const physical = hasher.hash(rgb, tw, th).hash;
        const distances = hashes.map((d) => pdqHammingDistance(d, physical));
        const nearest = distances.indexOf(Math.min(...distances));
        expect({ name, nearest }).toEqual({ name, nearest: k });
        // Close, not equal: the blur is not exactly symmetric (see the README's dihedral note).
        expect(distances[k]).toBeLessThan(64);
      });
    });
  });
});
