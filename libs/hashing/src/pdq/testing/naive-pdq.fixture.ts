/*
 * A deliberately plain PDQ, written straight from the algorithm description
 * (one float32 operation at a time, reference loop order, no buffers reused)
 * for the specs to compare the optimised code against on inputs the shared
 * vectors do not cover: odd sizes, every window size, luma input.
 * Not exported from the library; too slow for production use.
 */

const f = Math.fround;

export function naiveLuma(rgb: Uint8Array, width: number, height: number): Float32Array {
  const luma = new Float32Array(width * height);
  const cr = f(0.299);
  const cg = f(0.587);
  const cb = f(0.114);
  for (let i = 0; i < width * height; i++) {
    luma[i] = f(f(f(cr * rgb[3 * i]) + f(cg * rgb[3 * i + 1])) + f(cb * rgb[3 * i + 2]));
  }
  return luma;
}

/** One box pass over a strided vector, phase by phase as in the reference. */
export function naiveBox1D(
  input: Float32Array,
  output: Float32Array,
  start: number,
  length: number,
  stride: number,
  window: number,
): void {
  const half = Math.floor((window + 2) / 2);
  let sum = 0;
  let count = 0;
  let ri = start;
  let li = start;
  let oi = start;
  for (let i = 0; i < half - 1; i++, ri += stride) {
    sum = f(sum + input[ri]);
    count++;
  }
  for (let i = 0; i < window - half + 1; i++, ri += stride, oi += stride) {
    sum = f(sum + input[ri]);
    count++;
    output[oi] = f(sum / count);
  }
  for (let i = 0; i < length - window; i++, ri += stride, li += stride, oi += stride) {
    sum = f(sum + input[ri]);
    sum = f(sum - input[li]);
    output[oi] = f(sum / count);
  }
  for (let i = 0; i < half - 1; i++, li += stride, oi += stride) {
    sum = f(sum - input[li]);
    count--;
    output[oi] = f(sum / count);
  }
}

export function naiveDownsample(luma: Float32Array, width: number, height: number): Float32Array {
  const a = Float32Array.from(luma);
  const b = new Float32Array(width * height);
  const windowX = Math.floor((width + 127) / 128);
  const windowY = Math.floor((height + 127) / 128);
  for (let pass = 0; pass < 2; pass++) {
    for (let y = 0; y < height; y++) naiveBox1D(a, b, y * width, width, 1, windowX);
    for (let x = 0; x < width; x++) naiveBox1D(b, a, x, height, width, windowY);
  }
  const out = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const y = Math.floor(((i + 0.5) * height) / 64);
    for (let j = 0; j < 64; j++) out[i * 64 + j] = a[y * width + Math.floor(((j + 0.5) * width) / 64)];
  }
  return out;
}

export function naiveQuality(a: Float32Array): number {
  let sum = 0;
  const term = (u: number, v: number): number => Math.abs(Math.trunc(f(f(f(u - v) * 100) / 255)));
  for (let i = 0; i < 63; i++) for (let j = 0; j < 64; j++) sum += term(a[i * 64 + j], a[(i + 1) * 64 + j]);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 63; j++) sum += term(a[i * 64 + j], a[i * 64 + j + 1]);
  return Math.min(100, Math.trunc(sum / 90));
}

export function naiveDct(a: Float32Array): Float32Array {
  const d = new Float32Array(16 * 64);
  const scale = f(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) d[i * 64 + j] = f(scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1)));
  }
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f(s + f(d[i * 64 + k] * a[k * 64 + j]));
      t[i * 64 + j] = s;
    }
  }
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f(s + f(t[i * 64 + k] * d[j * 64 + k]));
      b[i * 16 + j] = s;
    }
  }
  return b;
}

/** Lower median by sorting: Torben returns the same value for 256 inputs. */
export function naiveMedian(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[(values.length - 1) >> 1];
}

export function naiveBitsToHex(dct: Float32Array, median: number): string {
  // 16-bit words w[0..15], bit k in w[k >> 4], printed w[15] first.
  const words = new Array<number>(16).fill(0);
  for (let k = 0; k < 256; k++) if (dct[k] > median) words[k >> 4] |= 1 << (k & 15);
  return words
    .reverse()
    .map((w) => w.toString(16).padStart(4, '0'))
    .join('');
}

/** Dihedral variants written out as the reference's eight loops. */
export function naiveDihedral(a: Float32Array): Float32Array[] {
  const at = (i: number, j: number): number => a[i * 16 + j];
  const make = (fn: (b: Float32Array, i: number, j: number) => void): Float32Array => {
    const b = new Float32Array(256);
    for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) fn(b, i, j);
    return b;
  };
  return [
    make((b, i, j) => (b[i * 16 + j] = at(i, j))),
    make((b, i, j) => (b[j * 16 + i] = j & 1 ? at(i, j) : -at(i, j))),
    make((b, i, j) => (b[i * 16 + j] = (i + j) & 1 ? -at(i, j) : at(i, j))),
    make((b, i, j) => (b[j * 16 + i] = i & 1 ? at(i, j) : -at(i, j))),
    make((b, i, j) => (b[i * 16 + j] = i & 1 ? at(i, j) : -at(i, j))),
    make((b, i, j) => (b[i * 16 + j] = j & 1 ? at(i, j) : -at(i, j))),
    make((b, i, j) => (b[j * 16 + i] = at(i, j))),
    make((b, i, j) => (b[j * 16 + i] = (i + j) & 1 ? -at(i, j) : at(i, j))),
  ];
}

export interface NaiveResult {
  hash: string;
  dihedral: string[];
  quality: number;
}

/**
 * Full naive PDQ of a luma plane. `fastPath64` mirrors pdqHash256FromFloatLuma
 * skipping the blur for exact 64x64 input (the dihedral call never does).
 */
export function naivePdqFromLuma(luma: Float32Array, width: number, height: number, fastPath64: boolean): NaiveResult {
  if (width < 5 || height < 5) {
    const zero = '0'.repeat(64);
    return { hash: zero, dihedral: new Array<string>(8).fill(zero), quality: 0 };
  }
  const skipBlur = fastPath64 && width === 64 && height === 64;
  const small = skipBlur ? Float32Array.from(luma) : naiveDownsample(luma, width, height);
  const quality = naiveQuality(small);
  const dct = naiveDct(small);
  const dihedral = naiveDihedral(dct).map((v) => naiveBitsToHex(v, naiveMedian(v)));
  return { hash: naiveBitsToHex(dct, naiveMedian(dct)), dihedral, quality };
}
