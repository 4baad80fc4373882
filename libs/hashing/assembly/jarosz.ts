/*
 * PDQ's Jarosz blur and 64x64 decimation in 128-bit SIMD, bit-exact with the
 * reference's jaroszFilterFloat + decimateFloat (and with
 * src/pdq/jarosz-downsampler.ts, the scalar TypeScript of the same).
 *
 * Every output gets the reference's float32 operations in its order: luma as
 * ((0.299f * R) + (0.587f * G)) + (0.114f * B), and per box filter a running
 * sum that adds the incoming sample, then subtracts the outgoing one, each
 * rounded to float32, divided by the window's count (f32x4.div is IEEE
 * division, as the reference's). Only the schedule differs: each v128 lane
 * is an independent row or column, and four vectors (16 rows or columns) run
 * together so the serial add-subtract chains overlap.
 *
 * A pass along one axis needs its 16 sequences side by side in memory, so
 * each pass writes its result in the layout the next one reads:
 *
 *   luma of 16 rows     G[x][16]            one row group at a time (L1-sized)
 *   X pass 1 (rows)     R1[y][Wp]           row-major
 *   Y pass 1 (columns)  T[y/16][Wp][16]     row groups, transposed
 *   X pass 2 (rows)     K[y][64]            only at the 64 decimated columns
 *   Y pass 2 (columns)  out[64][64]         only at the 64 decimated rows
 *
 * Wp is the width rounded up to 16 (pitchOf) and H16 the height rounded up to 16. Lanes
 * past the image that enter arithmetic (rows >= height, columns >= width in
 * a strip) hold zeros or copies of the last row, never leftover memory:
 * leftover bytes could be denormal floats, which are very slow on x86. The
 * only leftover values, G's entries from the width up to the next multiple
 * of 4, are never read.
 *
 * Nothing here allocates: the TypeScript side (src/pdq/wasm-downsampler.ts)
 * lays out the memory and passes the addresses.
 */

const N: i32 = 64;
const R_COEFF: f32 = 0.299;
const G_COEFF: f32 = 0.587;
const B_COEFF: f32 = 0.114;

/** Window size for a 2-pass tent filter shrinking `dimension` to 64: ceil(dimension / 128). */
@inline
function windowOf(dimension: i32): i32 {
  return (dimension + 2 * N - 1) / (2 * N);
}

/** Output i adds input i + lead; from i = window - lead on it also subtracts input i - (window - lead). */
@inline
function leadOf(window: i32): i32 {
  return ((window + 2) >> 1) - 1;
}

/** Inputs averaged for output i: the window clipped to the sequence, as a float32 divisor. */
@inline
function countAt(i: i32, length: i32, window: i32): v128 {
  const lead = leadOf(window);
  const first = max(0, i - (window - lead) + 1);
  const last = min(length - 1, i + lead);
  return f32x4.splat(<f32>(last - first + 1));
}

/** The reference's decimation: sample n of 64 reads position floor((n + 0.5) * length / 64), in double. */
@inline
function sampleAt(n: i32, length: i32): i32 {
  return n < N ? <i32>Math.floor(((<f64>n + 0.5) * <f64>length) / <f64>N) : -1;
}

/** Four pixels' luma from 12 bytes of packed RGB (16 are read). */
@inline
function luma4(p: usize): v128 {
  const v = v128.load(p);
  // Each byte to the low byte of its own i32 lane; indices >= 16 give zero.
  const r = f32x4.convert_i32x4_s(i8x16.swizzle(v, i8x16(0, -1, -1, -1, 3, -1, -1, -1, 6, -1, -1, -1, 9, -1, -1, -1)));
  const g = f32x4.convert_i32x4_s(i8x16.swizzle(v, i8x16(1, -1, -1, -1, 4, -1, -1, -1, 7, -1, -1, -1, 10, -1, -1, -1)));
  const b = f32x4.convert_i32x4_s(i8x16.swizzle(v, i8x16(2, -1, -1, -1, 5, -1, -1, -1, 8, -1, -1, -1, 11, -1, -1, -1)));
  return f32x4.add(
    f32x4.add(f32x4.mul(r, f32x4.splat(R_COEFF)), f32x4.mul(g, f32x4.splat(G_COEFF))),
    f32x4.mul(b, f32x4.splat(B_COEFF)),
  );
}

/**
 * Stores the 4x4 transpose of rows r0..r3 (each 4 consecutive x of one image
 * row) as 4 vectors, one per x, at p, p + 64, p + 128, p + 192.
 */
@inline
function storeTransposed(p: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(p, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(p, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 64);
  v128.store(p, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 128);
  v128.store(p, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 192);
}

/**
 * G[x][16] for image rows y0..y0+15 (rows past the image repeat the last
 * one): from packed RGB when `isRgb`, else from a row-major float luma plane.
 * Entries up to x = width rounded up to 4 are written.
 */
function fillGroup(src: usize, isRgb: bool, width: i32, height: i32, y0: i32, g: usize): void {
  for (let quad = 0; quad < 4; quad++) {
    const ya = min(y0 + 4 * quad, height - 1);
    const yb = min(y0 + 4 * quad + 1, height - 1);
    const yc = min(y0 + 4 * quad + 2, height - 1);
    const yd = min(y0 + 4 * quad + 3, height - 1);
    const lane = g + (<usize>quad << 4);
    if (isRgb) {
      const pa = src + <usize>ya * width * 3;
      const pb = src + <usize>yb * width * 3;
      const pc = src + <usize>yc * width * 3;
      const pd = src + <usize>yd * width * 3;
      for (let x = 0; x < width; x += 4) {
        const at = <usize>x * 3;
        storeTransposed(lane + (<usize>x << 6), luma4(pa + at), luma4(pb + at), luma4(pc + at), luma4(pd + at));
      }
    } else {
      const pa = src + ((<usize>ya * width) << 2);
      const pb = src + ((<usize>yb * width) << 2);
      const pc = src + ((<usize>yc * width) << 2);
      const pd = src + ((<usize>yd * width) << 2);
      for (let x = 0; x < width; x += 4) {
        const at = <usize>x << 2;
        storeTransposed(lane + (<usize>x << 6), v128.load(pa + at), v128.load(pb + at), v128.load(pc + at), v128.load(pd + at));
      }
    }
  }
}

/** Lane l of v to p + l * stride (four rows of one column). */
@inline
function scatter4(p: usize, stride: usize, v: v128): void {
  v128.store32_lane(p, v, 0);
  v128.store32_lane(p + stride, v, 1);
  v128.store32_lane(p + 2 * stride, v, 2);
  v128.store32_lane(p + 3 * stride, v, 3);
}

/**
 * X pass 1 over one row group: the 16 rows in G, box-filtered along x into
 * rows y0..y0+15 of R1 (row pitch `rowBytes`).
 */
function rowPass(g: usize, width: i32, window: i32, r1: usize, rowBytes: usize): void {
  const lead = leadOf(window);
  const lag = window - lead;
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  for (let x = 0; x < lead; x++) {
    const p = g + (<usize>x << 6);
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  const quad = rowBytes << 2; // four rows down
  let x = 0;
  for (const end = min(width, lag); x < end; x++) {
    const p = g + (<usize>(x + lead) << 6);
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
    const n = countAt(x, width, window);
    const o = r1 + (<usize>x << 2);
    scatter4(o, rowBytes, f32x4.div(a0, n));
    scatter4(o + quad, rowBytes, f32x4.div(a1, n));
    scatter4(o + 2 * quad, rowBytes, f32x4.div(a2, n));
    scatter4(o + 3 * quad, rowBytes, f32x4.div(a3, n));
  }
  const full = f32x4.splat(<f32>window);
  for (const end = width - lead; x < end; x++) {
    const p = g + (<usize>(x + lead) << 6);
    const q = g + (<usize>(x - lag) << 6);
    a0 = f32x4.sub(f32x4.add(a0, v128.load(p)), v128.load(q));
    a1 = f32x4.sub(f32x4.add(a1, v128.load(p, 16)), v128.load(q, 16));
    a2 = f32x4.sub(f32x4.add(a2, v128.load(p, 32)), v128.load(q, 32));
    a3 = f32x4.sub(f32x4.add(a3, v128.load(p, 48)), v128.load(q, 48));
    const o = r1 + (<usize>x << 2);
    scatter4(o, rowBytes, f32x4.div(a0, full));
    scatter4(o + quad, rowBytes, f32x4.div(a1, full));
    scatter4(o + 2 * quad, rowBytes, f32x4.div(a2, full));
    scatter4(o + 3 * quad, rowBytes, f32x4.div(a3, full));
  }
  for (; x < width; x++) {
    const q = g + (<usize>(x - lag) << 6);
    a0 = f32x4.sub(a0, v128.load(q));
    a1 = f32x4.sub(a1, v128.load(q, 16));
    a2 = f32x4.sub(a2, v128.load(q, 32));
    a3 = f32x4.sub(a3, v128.load(q, 48));
    const n = countAt(x, width, window);
    const o = r1 + (<usize>x << 2);
    scatter4(o, rowBytes, f32x4.div(a0, n));
    scatter4(o + quad, rowBytes, f32x4.div(a1, n));
    scatter4(o + 2 * quad, rowBytes, f32x4.div(a2, n));
    scatter4(o + 3 * quad, rowBytes, f32x4.div(a3, n));
  }
}

/** Lane l of v to p + l * 64 (four columns' entries of one row in T). */
@inline
function scatterColumns(p: usize, v: v128): void {
  v128.store32_lane(p, v, 0);
  v128.store32_lane(p, v, 1, 64);
  v128.store32_lane(p, v, 2, 128);
  v128.store32_lane(p, v, 3, 192);
}

/** Where row y, column x0 of the Y pass's output goes in T. */
@inline
function tAddress(t: usize, y: i32, x0: i32, pitch: i32): usize {
  return t + ((<usize>((y >> 4) * pitch + x0) << 6) | (<usize>(y & 15) << 2));
}

/** Y pass 1 over columns x0..x0+15 of R1, into T. */
function columnPass(r1: usize, rowBytes: usize, pitch: i32, x0: i32, height: i32, window: i32, t: usize): void {
  const lead = leadOf(window);
  const lag = window - lead;
  const column = r1 + (<usize>x0 << 2);
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  for (let y = 0; y < lead; y++) {
    const p = column + <usize>y * rowBytes;
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  let y = 0;
  for (const end = min(height, lag); y < end; y++) {
    const p = column + <usize>(y + lead) * rowBytes;
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
    const n = countAt(y, height, window);
    const o = tAddress(t, y, x0, pitch);
    scatterColumns(o, f32x4.div(a0, n));
    scatterColumns(o + 256, f32x4.div(a1, n));
    scatterColumns(o + 512, f32x4.div(a2, n));
    scatterColumns(o + 768, f32x4.div(a3, n));
  }
  const full = f32x4.splat(<f32>window);
  for (const end = height - lead; y < end; y++) {
    const p = column + <usize>(y + lead) * rowBytes;
    const q = column + <usize>(y - lag) * rowBytes;
    a0 = f32x4.sub(f32x4.add(a0, v128.load(p)), v128.load(q));
    a1 = f32x4.sub(f32x4.add(a1, v128.load(p, 16)), v128.load(q, 16));
    a2 = f32x4.sub(f32x4.add(a2, v128.load(p, 32)), v128.load(q, 32));
    a3 = f32x4.sub(f32x4.add(a3, v128.load(p, 48)), v128.load(q, 48));
    const o = tAddress(t, y, x0, pitch);
    scatterColumns(o, f32x4.div(a0, full));
    scatterColumns(o + 256, f32x4.div(a1, full));
    scatterColumns(o + 512, f32x4.div(a2, full));
    scatterColumns(o + 768, f32x4.div(a3, full));
  }
  for (; y < height; y++) {
    const q = column + <usize>(y - lag) * rowBytes;
    a0 = f32x4.sub(a0, v128.load(q));
    a1 = f32x4.sub(a1, v128.load(q, 16));
    a2 = f32x4.sub(a2, v128.load(q, 32));
    a3 = f32x4.sub(a3, v128.load(q, 48));
    const n = countAt(y, height, window);
    const o = tAddress(t, y, x0, pitch);
    scatterColumns(o, f32x4.div(a0, n));
    scatterColumns(o + 256, f32x4.div(a1, n));
    scatterColumns(o + 512, f32x4.div(a2, n));
    scatterColumns(o + 768, f32x4.div(a3, n));
  }
}

/** Lane l of v to p + l * 256 (four rows of one column in K). */
@inline
function scatterKept(p: usize, v: v128): void {
  v128.store32_lane(p, v, 0);
  v128.store32_lane(p, v, 1, 256);
  v128.store32_lane(p, v, 2, 512);
  v128.store32_lane(p, v, 3, 768);
}

/**
 * X pass 2 over one row group of T (16 rows, each x's 16 values together),
 * kept only at the 64 decimated columns: K[y0 + row][c].
 */
function keptRowPass(g: usize, width: i32, window: i32, k: usize): void {
  const lead = leadOf(window);
  const lag = window - lead;
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  for (let x = 0; x < lead; x++) {
    const p = g + (<usize>x << 6);
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  let c = 0;
  let next = sampleAt(0, width);
  let x = 0;
  // Each phase runs in stretches up to the next decimated column, which is then written (repeats too).
  while (x < width) {
    const stop = next < 0 ? width : next + 1;
    for (const end = min(stop, lag); x < end; x++) {
      const p = g + (<usize>(x + lead) << 6);
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
    }
    for (const end = max(x, min(stop, width - lead)); x < end; x++) {
      const p = g + (<usize>(x + lead) << 6);
      const q = g + (<usize>(x - lag) << 6);
      a0 = f32x4.sub(f32x4.add(a0, v128.load(p)), v128.load(q));
      a1 = f32x4.sub(f32x4.add(a1, v128.load(p, 16)), v128.load(q, 16));
      a2 = f32x4.sub(f32x4.add(a2, v128.load(p, 32)), v128.load(q, 32));
      a3 = f32x4.sub(f32x4.add(a3, v128.load(p, 48)), v128.load(q, 48));
    }
    for (; x < stop; x++) {
      const q = g + (<usize>(x - lag) << 6);
      a0 = f32x4.sub(a0, v128.load(q));
      a1 = f32x4.sub(a1, v128.load(q, 16));
      a2 = f32x4.sub(a2, v128.load(q, 32));
      a3 = f32x4.sub(a3, v128.load(q, 48));
    }
    if (next < 0) break;
    const n = countAt(next, width, window);
    const b0 = f32x4.div(a0, n);
    const b1 = f32x4.div(a1, n);
    const b2 = f32x4.div(a2, n);
    const b3 = f32x4.div(a3, n);
    do {
      const o = k + (<usize>c << 2);
      scatterKept(o, b0);
      scatterKept(o + 1024, b1);
      scatterKept(o + 2048, b2);
      scatterKept(o + 3072, b3);
      c++;
    } while (sampleAt(c, width) == next);
    next = sampleAt(c, width);
  }
}

/** Y pass 2 over kept columns c0..c0+15 of K, written only at the 64 decimated rows of out. */
function keptColumnPass(k: usize, c0: i32, height: i32, window: i32, out: usize): void {
  const lead = leadOf(window);
  const lag = window - lead;
  const column = k + (<usize>c0 << 2);
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  for (let y = 0; y < lead; y++) {
    const p = column + (<usize>y << 8);
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  let r = 0;
  let next = sampleAt(0, height);
  let y = 0;
  while (y < height) {
    const stop = next < 0 ? height : next + 1;
    for (const end = min(stop, lag); y < end; y++) {
      const p = column + (<usize>(y + lead) << 8);
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
    }
    for (const end = max(y, min(stop, height - lead)); y < end; y++) {
      const p = column + (<usize>(y + lead) << 8);
      const q = column + (<usize>(y - lag) << 8);
      a0 = f32x4.sub(f32x4.add(a0, v128.load(p)), v128.load(q));
      a1 = f32x4.sub(f32x4.add(a1, v128.load(p, 16)), v128.load(q, 16));
      a2 = f32x4.sub(f32x4.add(a2, v128.load(p, 32)), v128.load(q, 32));
      a3 = f32x4.sub(f32x4.add(a3, v128.load(p, 48)), v128.load(q, 48));
    }
    for (; y < stop; y++) {
      const q = column + (<usize>(y - lag) << 8);
      a0 = f32x4.sub(a0, v128.load(q));
      a1 = f32x4.sub(a1, v128.load(q, 16));
      a2 = f32x4.sub(a2, v128.load(q, 32));
      a3 = f32x4.sub(a3, v128.load(q, 48));
    }
    if (next < 0) break;
    const n = countAt(next, height, window);
    const b0 = f32x4.div(a0, n);
    const b1 = f32x4.div(a1, n);
    const b2 = f32x4.div(a2, n);
    const b3 = f32x4.div(a3, n);
    do {
      const o = out + ((<usize>(r * N + c0)) << 2);
      v128.store(o, b0);
      v128.store(o, b1, 16);
      v128.store(o, b2, 32);
      v128.store(o, b3, 48);
      r++;
    } while (sampleAt(r, height) == next);
    next = sampleAt(r, height);
  }
}

/**
 * Floats per row of R1 (and x entries per group of T): the width rounded up
 * to 16, plus 16 more when that is a multiple of 64. A row of 1024 floats is
 * 4 KiB, and the Y pass, reading 16 columns down the rows, then hits the
 * same cache sets on every row: 1024x1024 took twice as long as 1080x1350.
 */
export function pitchOf(width: i32): i32 {
  const pitch = (width + 15) & ~15;
  return pitch & 63 ? pitch : pitch + 16;
}

/** Bytes from `from` to `to` set to zero (both multiples of 4). */
@inline
function zero(from: usize, to: usize): void {
  memory.fill(from, 0, to - from);
}

/**
 * The 64x64 blurred sample of an image, row-major f32 at `out`.
 *
 * src: packed RGB (isRgb) or row-major f32 luma, followed by at least 16
 * readable bytes. g: Wp x 64 bytes. r1 and t: H16 x Wp x 4 bytes each
 * (Wp = pitchOf(width)). k: H16 x 256 bytes. All 16-byte aligned.
 */
export function jaroszDownsample(
  src: usize,
  isRgb: bool,
  width: i32,
  height: i32,
  g: usize,
  r1: usize,
  t: usize,
  k: usize,
  out: usize,
): void {
  const pitch = pitchOf(width);
  const groups = (height + 15) >> 4;
  const rowBytes = <usize>pitch << 2;
  const windowX = windowOf(width);
  const windowY = windowOf(height);

  for (let group = 0; group < groups; group++) {
    fillGroup(src, isRgb, width, height, group << 4, g);
    rowPass(g, width, windowX, r1 + <usize>(group << 4) * rowBytes, rowBytes);
  }
  // The Y pass reads whole strips of 16 columns: the columns past the image are zeros.
  const strips = (width + 15) & ~15;
  if (strips > width) {
    for (let y = 0; y < height; y++) zero(r1 + <usize>y * rowBytes + (<usize>width << 2), r1 + <usize>y * rowBytes + (<usize>strips << 2));
  }
  for (let x0 = 0; x0 < width; x0 += 16) columnPass(r1, rowBytes, pitch, x0, height, windowY, t);
  // Rows past the image in the last group of T: zeros, for X pass 2's lanes.
  const rest = height & 15;
  if (rest != 0) {
    const last = t + (<usize>((groups - 1) * pitch) << 6);
    for (let x = 0; x < width; x++) zero(last + (<usize>x << 6) + (<usize>rest << 2), last + (<usize>(x + 1) << 6));
  }
  for (let group = 0; group < groups; group++) {
    keptRowPass(t + (<usize>(group * pitch) << 6), width, windowX, k + (<usize>(group << 4) << 8));
  }
  for (let c0 = 0; c0 < N; c0 += 16) keptColumnPass(k, c0, height, windowY, out);
}
