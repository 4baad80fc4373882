import { boxFilterRows, boxFilterRowsAt, boxHalfWindow, fillInverseCounts, jaroszWindowSize } from './box-filter';
import { naiveBox1D } from './testing/naive-pdq.fixture';

/** Deterministic float32 values in [0, scale) (mulberry32). */
function randomFloats(count: number, seed: number, scale = 255): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * scale;
  }
  return out;
}

/** The reference's box filter applied to each of `rows` contiguous rows. */
function reference(src: Float32Array, rows: number, length: number, window: number): Float32Array {
  const out = new Float32Array(rows * length);
  for (let r = 0; r < rows; r++) naiveBox1D(src, out, r * length, length, 1, window);
  return out;
}

function mismatches(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

describe('box filter', () => {
  it('computes the reference window sizes', () => {
    expect([5, 64, 127, 128, 129, 256, 512, 640, 1000, 1024, 1025].map((d) => jaroszWindowSize(d))).toEqual([
      1, 1, 1, 1, 2, 2, 4, 5, 8, 8, 9,
    ]);
    expect([1, 2, 3, 4, 7, 8].map(boxHalfWindow)).toEqual([1, 2, 2, 3, 4, 5]);
  });

  it('counts the samples under each output like the reference phases', () => {
    const inverse = new Float64Array(10);
    fillInverseCounts(10, 4, inverse); // half 3: outputs average i-1..i+2
    expect(Array.from(inverse, (v) => Math.round(1 / v))).toEqual([3, 4, 4, 4, 4, 4, 4, 4, 3, 2]);
  });

  it('multiplying by the double reciprocal rounds like the float division', () => {
    // Dense run of consecutive float32 values around several magnitudes, all windows up to 64,
    // plus random sums: the argument in box-filter.ts says this can never differ.
    let checked = 0;
    let bad = 0;
    const f32 = new Float32Array(1);
    const bits = new Uint32Array(f32.buffer);
    for (const start of [0.5, 1, 3.5, 100, 255, 1000.25, 16000, 65000]) {
      f32[0] = start;
      const first = bits[0];
      for (let k = 0; k < 4000; k++) {
        bits[0] = first + k;
        const s = f32[0];
        for (let n = 1; n <= 64; n++) {
          if (Math.fround(s * (1 / n)) !== Math.fround(s / n)) bad++;
          checked++;
        }
      }
    }
    const sums = randomFloats(200000, 7, 255 * 40);
    for (let i = 0; i < sums.length; i++) {
      const n = 1 + (i % 300);
      if (Math.fround(sums[i] * (1 / n)) !== Math.fround(sums[i] / n)) bad++;
      checked++;
    }
    expect(checked).toBeGreaterThan(2_000_000);
    expect(bad).toBe(0);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])('matches the reference for window %i, any row count and length', (window) => {
    for (let length = window; length <= window + 40; length += 3) {
      for (const rows of [1, 2, 3, 4, 5, 7, 8, 9]) {
        const src = randomFloats(rows * length, window * 1000 + length * 10 + rows);
        const expected = reference(src, rows, length, window);
        const inverse = new Float64Array(length);
        fillInverseCounts(length, window, inverse);

        const plain = new Float32Array(rows * length);
        boxFilterRows({ data: src, offset: 0, pitch: length }, rows, length, window, inverse, {
          dst: plain,
          offset: 0,
          rowStride: length,
          outputStride: 1,
        });
        expect(mismatches(plain, expected)).toBe(0);

        // Transposed output: row q's output i lands at i * rows + q.
        const transposed = new Float32Array(rows * length);
        boxFilterRows({ data: src, offset: 0, pitch: length }, rows, length, window, inverse, {
          dst: transposed,
          offset: 0,
          rowStride: 1,
          outputStride: rows,
        });
        const back = new Float32Array(rows * length);
        for (let q = 0; q < rows; q++) for (let i = 0; i < length; i++) back[q * length + i] = transposed[i * rows + q];
        expect(mismatches(back, expected)).toBe(0);
      }
    }
  });

  it('resumes rows across ranges with carried sums', () => {
    for (const [length, window, pieces] of [
      [50, 1, [7, 20, 50]],
      [61, 4, [1, 2, 3, 30, 58, 61]],
      [90, 8, [4, 5, 40, 85, 86, 90]],
      [33, 9, [16, 33]],
    ] as const) {
      const rows = 6;
      const pitch = length + 5; // rows need not be packed
      const src = randomFloats(rows * pitch, length + window);
      const packed = new Float32Array(rows * length);
      for (let q = 0; q < rows; q++) packed.set(src.subarray(q * pitch, q * pitch + length), q * length);
      const expected = reference(packed, rows, length, window);
      const inverse = new Float64Array(length);
      fillInverseCounts(length, window, inverse);

      const out = new Float32Array(rows * length);
      const sums = new Float64Array(rows);
      let from = 0;
      for (const to of pieces) {
        boxFilterRows(
          { data: src, offset: 0, pitch },
          rows,
          length,
          window,
          inverse,
          { dst: out, offset: from, rowStride: length, outputStride: 1 },
          from,
          to,
          sums,
        );
        from = to;
      }
      expect(mismatches(out, expected)).toBe(0);
    }
    expect(() =>
      boxFilterRows({ data: new Float32Array(8), offset: 0, pitch: 8 }, 1, 8, 1, new Float64Array(8), {
        dst: new Float32Array(8),
        offset: 0,
        rowStride: 8,
        outputStride: 1,
      }, 3),
    ).toThrow(/running sums/);
  });

  it('samples only the requested positions, repeats included', () => {
    for (const [length, window] of [
      [5, 1],
      [64, 1],
      [130, 2],
      [400, 4],
      [1000, 8],
    ] as const) {
      for (const rows of [1, 3, 4, 6]) {
        const src = randomFloats(rows * length, length * 7 + rows);
        const expected = reference(src, rows, length, window);
        const inverse = new Float64Array(length);
        fillInverseCounts(length, window, inverse);
        const positions = Int32Array.from({ length: 64 }, (_, i) => Math.floor(((i + 0.5) * length) / 64));
        const out = new Float32Array(rows * 64).fill(NaN);
        boxFilterRowsAt({ data: src, offset: 0, pitch: length }, rows, length, window, inverse, positions, {
          dst: out,
          offset: 0,
          rowStride: 64,
          outputStride: 1,
        });
        const want = new Float32Array(rows * 64);
        for (let q = 0; q < rows; q++) {
          for (let k = 0; k < 64; k++) want[q * 64 + k] = expected[q * length + positions[k]];
        }
        expect(mismatches(out, want)).toBe(0);
      }
    }
  });
});
