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
 * Wp = pitchOf(width), the width rounded up to 16 and padded against cache
 * aliasing; H16 is the height rounded up to 16. Lanes past the image that
 * enter arithmetic (rows >= height, columns >= width in a strip) hold zeros
 * or copies of the last row, never leftover memory: leftover bytes could be
 * denormal floats, which are very slow on x86. The only leftover values, G's
 * entries from the width up to the next multiple of 4, are never read.
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

/** Lane l of v to p + l * stride. */
@inline
function scatter4(p: usize, stride: usize, v: v128): void {
  v128.store32_lane(p, v, 0);
  v128.store32_lane(p + stride, v, 1);
  v128.store32_lane(p + 2 * stride, v, 2);
  v128.store32_lane(p + 3 * stride, v, 3);
}

/*
 * Where a full pass writes output i of its 16 sequences (vectors v0..v3, a
 * sequence per lane):
 * - TO_ROWS, X pass 1: sequence s is row s of R1, output i its column i
 *   (`pitch` is R1's row pitch in bytes);
 * - TO_GROUPS, Y pass 1: sequence s is column x0 + s, output i is row i, in
 *   T's row groups (`pitch` in x entries).
 */
const TO_ROWS: i32 = 0;
const TO_GROUPS: i32 = 1;

@inline
function emitFull(kind: i32, dst: usize, i: i32, pitch: usize, x0: i32, v0: v128, v1: v128, v2: v128, v3: v128): void {
  if (kind == TO_ROWS) {
    const o = dst + (<usize>i << 2);
    const quad = pitch << 2; // four rows down
    scatter4(o, pitch, v0);
    scatter4(o + quad, pitch, v1);
    scatter4(o + 2 * quad, pitch, v2);
    scatter4(o + 3 * quad, pitch, v3);
  } else {
    const o = dst + ((<usize>((i >> 4) * <i32>pitch + x0) << 6) | (<usize>(i & 15) << 2));
    scatter4(o, 64, v0);
    scatter4(o + 256, 64, v1);
    scatter4(o + 512, 64, v2);
    scatter4(o + 768, 64, v3);
  }
}

/*
 * Where a kept pass writes its decimated output n (vectors v0..v3):
 * - TO_KEPT, X pass 2: sequence s is row s of the group, K[s][n] (`dst` at
 *   the group's first row);
 * - TO_OUT, Y pass 2: sequence s is kept column c0 + s, out[n][c0 + s].
 */
const TO_KEPT: i32 = 0;
const TO_OUT: i32 = 1;

@inline
function emitKept(kind: i32, dst: usize, n: i32, c0: i32, v0: v128, v1: v128, v2: v128, v3: v128): void {
  if (kind == TO_KEPT) {
    const o = dst + (<usize>n << 2);
    scatter4(o, 256, v0);
    scatter4(o + 1024, 256, v1);
    scatter4(o + 2048, 256, v2);
    scatter4(o + 3072, 256, v3);
  } else {
    const o = dst + (<usize>(n * N + c0) << 2);
    v128.store(o, v0);
    v128.store(o, v1, 16);
    v128.store(o, v2, 32);
    v128.store(o, v3, 48);
  }
}

/**
 * The box filter over 16 sequences at once, every output written (X pass 1
 * and Y pass 1). Input i of the sequences is the 64 bytes at src + i * step.
 * Inlined into its two callers, so `kind` and `step` are constants there.
 */
@inline
function filterFull(kind: i32, src: usize, step: usize, length: i32, window: i32, dst: usize, pitch: usize, x0: i32): void {
  const lead = leadOf(window);
  const lag = window - lead;
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  for (let i = 0; i < lead; i++) {
    const p = src + <usize>i * step;
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  let i = 0;
  for (const end = min(length, lag); i < end; i++) {
    const p = src + <usize>(i + lead) * step;
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
    const n = countAt(i, length, window);
    emitFull(kind, dst, i, pitch, x0, f32x4.div(a0, n), f32x4.div(a1, n), f32x4.div(a2, n), f32x4.div(a3, n));
  }
  const full = f32x4.splat(<f32>window);
  for (const end = length - lead; i < end; i++) {
    const p = src + <usize>(i + lead) * step;
    const q = src + <usize>(i - lag) * step;
    a0 = f32x4.sub(f32x4.add(a0, v128.load(p)), v128.load(q));
    a1 = f32x4.sub(f32x4.add(a1, v128.load(p, 16)), v128.load(q, 16));
    a2 = f32x4.sub(f32x4.add(a2, v128.load(p, 32)), v128.load(q, 32));
    a3 = f32x4.sub(f32x4.add(a3, v128.load(p, 48)), v128.load(q, 48));
    emitFull(kind, dst, i, pitch, x0, f32x4.div(a0, full), f32x4.div(a1, full), f32x4.div(a2, full), f32x4.div(a3, full));
  }
  for (; i < length; i++) {
    const q = src + <usize>(i - lag) * step;
    a0 = f32x4.sub(a0, v128.load(q));
    a1 = f32x4.sub(a1, v128.load(q, 16));
    a2 = f32x4.sub(a2, v128.load(q, 32));
    a3 = f32x4.sub(a3, v128.load(q, 48));
    const n = countAt(i, length, window);
    emitFull(kind, dst, i, pitch, x0, f32x4.div(a0, n), f32x4.div(a1, n), f32x4.div(a2, n), f32x4.div(a3, n));
  }
}

/**
 * The box filter over 16 sequences at once, written only at the 64
 * decimated positions (X pass 2 and Y pass 2). The running sums still visit
 * every input; each phase runs in stretches up to the next decimated
 * position, which is then written (repeats too, for lengths under 64).
 */
@inline
function filterKept(kind: i32, src: usize, step: usize, length: i32, window: i32, dst: usize, c0: i32): void {
  const lead = leadOf(window);
  const lag = window - lead;
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  for (let i = 0; i < lead; i++) {
    const p = src + <usize>i * step;
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  let n = 0;
  let next = sampleAt(0, length);
  let i = 0;
  while (i < length) {
    const stop = next < 0 ? length : next + 1;
    for (const end = min(stop, lag); i < end; i++) {
      const p = src + <usize>(i + lead) * step;
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
    }
    for (const end = max(i, min(stop, length - lead)); i < end; i++) {
      const p = src + <usize>(i + lead) * step;
      const q = src + <usize>(i - lag) * step;
      a0 = f32x4.sub(f32x4.add(a0, v128.load(p)), v128.load(q));
      a1 = f32x4.sub(f32x4.add(a1, v128.load(p, 16)), v128.load(q, 16));
      a2 = f32x4.sub(f32x4.add(a2, v128.load(p, 32)), v128.load(q, 32));
      a3 = f32x4.sub(f32x4.add(a3, v128.load(p, 48)), v128.load(q, 48));
    }
    for (; i < stop; i++) {
      const q = src + <usize>(i - lag) * step;
      a0 = f32x4.sub(a0, v128.load(q));
      a1 = f32x4.sub(a1, v128.load(q, 16));
      a2 = f32x4.sub(a2, v128.load(q, 32));
      a3 = f32x4.sub(a3, v128.load(q, 48));
    }
    if (next < 0) break;
    const count = countAt(next, length, window);
    const b0 = f32x4.div(a0, count);
    const b1 = f32x4.div(a1, count);
    const b2 = f32x4.div(a2, count);
    const b3 = f32x4.div(a3, count);
    do {
      emitKept(kind, dst, n, c0, b0, b1, b2, b3);
      n++;
    } while (sampleAt(n, length) == next);
    next = sampleAt(n, length);
  }
}

/** X pass 1 over one row group: the 16 rows in G (64 bytes per x), into R1 from the group's first row. */
function rowPass(g: usize, width: i32, window: i32, r1: usize, rowBytes: usize): void {
  filterFull(TO_ROWS, g, 64, width, window, r1, rowBytes, 0);
}

/** Y pass 1 over columns x0..x0+15 of R1, into T. */
function columnPass(r1: usize, rowBytes: usize, pitch: i32, x0: i32, height: i32, window: i32, t: usize): void {
  filterFull(TO_GROUPS, r1 + (<usize>x0 << 2), rowBytes, height, window, t, pitch, x0);
}

/** X pass 2 over one row group of T (each x's 16 values together), kept at the 64 decimated columns: K from the group's first row. */
function keptRowPass(g: usize, width: i32, window: i32, k: usize): void {
  filterKept(TO_KEPT, g, 64, width, window, k, 0);
}

/** Y pass 2 over kept columns c0..c0+15 of K, written only at the 64 decimated rows of out. */
function keptColumnPass(k: usize, c0: i32, height: i32, window: i32, out: usize): void {
  filterKept(TO_OUT, k + (<usize>c0 << 2), 256, height, window, out, c0);
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
