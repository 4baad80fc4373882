import { JaroszDownsampler } from './jarosz-downsampler';
import { WasmJaroszDownsampler } from './wasm-downsampler';

/*
 * The SIMD kernel against the scalar TypeScript blur, which the conformance
 * vectors hold to the reference: every float of the 64x64 sample must be the
 * same, on sizes that hit each edge of the kernel's layout (widths and
 * heights that are not multiples of 4 or 16, rows of exactly 1024 floats,
 * sizes under 64 where decimated positions repeat, windows of 1 and 9).
 */

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** Noise over a gradient, so both flat and busy stretches are filtered. */
function image(width: number, height: number, seed: number): Uint8Array {
  const random = xorshift(seed);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p += 3) {
      rgb[p] = Math.min(255, ((x * 192) / width + random() * 64) | 0);
      rgb[p + 1] = (random() * 256) | 0;
      rgb[p + 2] = ((y * 255) / height) | 0;
    }
  }
  return rgb;
}

const SIZES: [number, number][] = [
  [5, 5],
  [7, 13],
  [63, 65],
  [64, 64],
  [100, 37],
  [17, 300],
  [300, 17],
  [129, 257],
  [640, 480],
  [1023, 767],
  [1024, 1024],
  [1080, 1350],
  // Widths a multiple of 16 but not of 64: rows with no padding past the image.
  [48, 48],
  [720, 1280],
];

describe('WasmJaroszDownsampler', () => {
  // One of each for every size.
  const scalar = new JaroszDownsampler();
  const simd = new WasmJaroszDownsampler();

  // Growing, then shrinking: buffers left from a larger image must not leak into a smaller one's sample.
  it.each([...SIZES, ...[...SIZES].reverse()])('matches the scalar blur bit for bit on %ix%i RGB and luma', (width, height) => {
    const rgb = image(width, height, width * 7919 + height);
    const expected = new Float32Array(64 * 64);
    const actual = new Float32Array(64 * 64).fill(Number.NaN);
    scalar.downsampleRgb(rgb, width, height, expected);
    simd.downsampleRgb(rgb, width, height, actual);
    expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer))).toBe(true);

    const random = xorshift(width + height * 31);
    const luma = Float32Array.from({ length: width * height }, () => Math.fround(random() * 255));
    scalar.downsampleLuma(luma, width, height, expected);
    actual.fill(Number.NaN);
    simd.downsampleLuma(luma, width, height, actual);
    expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });

  it('keeps a large memory while large frames come, and gives it back at the next smaller one', () => {
    const kept = 32 * 1024 * 1024;
    // 2200x1600 needs about 39 MB, over what an instance keeps once smaller images come again.
    const sizes = [[2200, 1600, true], [2200, 1600, true], [640, 480, false]] as const;
    for (const [width, height, large] of sizes) {
      const rgb = image(width, height, 11);
      const expected = new Float32Array(64 * 64);
      const actual = new Float32Array(64 * 64);
      scalar.downsampleRgb(rgb, width, height, expected);
      simd.downsampleRgb(rgb, width, height, actual);
      expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      expect(simd.memoryBytes > kept).toBe(large);
    }
  });

  it('refuses an empty image or too small a buffer', () => {
    expect(() => simd.downsampleRgb(new Uint8Array(0), 0, 10, new Float32Array(64 * 64))).toThrow(RangeError);
    expect(() => simd.downsampleRgb(new Uint8Array(10), 4, 4, new Float32Array(64 * 64))).toThrow(RangeError);
    expect(() => simd.downsampleLuma(new Float32Array(10), 4, 4, new Float32Array(64 * 64))).toThrow(RangeError);
  });

  it('leaves its inputs as they were', () => {
    const rgb = image(90, 70, 3);
    const copy = rgb.slice();
    simd.downsampleRgb(rgb, 90, 70, new Float32Array(64 * 64));
    expect(rgb).toEqual(copy);
  });
});
