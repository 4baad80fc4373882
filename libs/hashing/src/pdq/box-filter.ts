/*
 * One-dimensional running-sum box filters, bit-exact with the reference's
 * box1DFloat. Every add and subtract on the running sum is rounded to float32
 * (Math.fround), in the reference's order: add the incoming sample, then
 * subtract the outgoing one.
 *
 * Window layout for window w and half = floor((w + 2) / 2): output i is the
 * mean of inputs i-(w-half) .. i+half-1, clipped to the vector (the window
 * shrinks at both ends). Before output 0 the first half-1 inputs are summed;
 * output i then adds input i+half-1 (if any) and, from i = w-half+1 on,
 * subtracts input i-(w-half+1).
 *
 * The reference divides the sum by the current count. Here the sum is
 * multiplied by a double reciprocal and the float32 store rounds the product,
 * which gives the same float: s/n for float32 s and integer n is never a
 * float32 rounding midpoint and lies at least ~2^-26/n (relative) away from
 * one, far more than the ~2^-52 error of s * (1/n) in double.
 * box-filter.spec.ts checks this over many values.
 *
 * The running sum is a serial float32 chain (add, round, subtract, round), so
 * one row at a time is bound by that chain's latency. The kernels advance four
 * rows together with the sums in locals, letting the CPU overlap the chains;
 * in V8 two rows measured ~2x slower and eight no faster than four. Passes
 * along image columns run the same kernels on transposed data: keeping one
 * running sum per column in a typed array measured ~2.5x slower.
 */

// Bound once: a global lookup (Math) per call is slow under Jest's vm sandbox, where the hashing specs run;
// sample4 does three per output, and its stretches between outputs are short.
const { fround, max, min } = Math;

/** Half-window used by the reference to centre the box: 7 -> 4, 8 -> 5. */
export function boxHalfWindow(window: number): number {
  return (window + 2) >> 1;
}

/** Jarosz window for a 2-pass tent filter shrinking `dimension` to `target`: ceil(dimension / 128) for 64. */
export function jaroszWindowSize(dimension: number, target = 64): number {
  return Math.floor((dimension + 2 * target - 1) / (2 * target));
}

/** out[i] = 1 / (number of inputs averaged for output i), for `length` outputs. */
export function fillInverseCounts(length: number, window: number, out: Float64Array): void {
  const half = boxHalfWindow(window);
  for (let i = 0; i < length; i++) {
    const first = max(0, i - (window - half));
    const last = min(length - 1, i + half - 1);
    out[i] = 1 / (last - first + 1);
  }
}

/** Rows to filter: row q (0-based) starts at data[offset + q * pitch]. */
export interface BoxSource {
  data: Float32Array;
  offset: number;
  pitch: number;
}

/**
 * Where results go: output n of row q is written to
 * dst[offset + q * rowStride + n * outputStride]. With rowStride 1 the
 * result is transposed, so the next pass (along the other image axis) again
 * runs along contiguous memory.
 */
export interface BoxOutput {
  dst: Float32Array;
  offset: number;
  rowStride: number;
  outputStride: number;
}

/**
 * Box filter along `rowCount` rows of `length` inputs, producing outputs
 * from..to-1 of each (output n = position from + n).
 *
 * A row can be filtered in consecutive ranges: pass the same `sums` (one per
 * row) to every call; a call with from > 0 resumes from it, and every call
 * leaves the running sums there. from = 0 starts afresh.
 */
export function boxFilterRows(
  src: BoxSource,
  rowCount: number,
  length: number,
  window: number,
  inverse: Float64Array,
  out: BoxOutput,
  from = 0,
  to = length,
  sums?: Float64Array,
): void {
  if (from > 0 && !sums) throw new Error('boxFilterRows: resuming at from > 0 needs the running sums');
  const { data, offset, pitch } = src;
  const { dst, rowStride, outputStride } = out;
  for (let q = 0; q < rowCount; ) {
    const lanes = rowCount - q >= 4 ? 4 : 1;
    filter4(
      data,
      offset + q * pitch,
      lanes === 4 ? pitch : 0,
      length,
      window,
      inverse,
      from,
      to,
      sums ?? null,
      q,
      dst,
      out.offset + q * rowStride,
      lanes === 4 ? rowStride : 0,
      outputStride,
    );
    q += lanes;
  }
}

/**
 * Box filter along `rowCount` rows of `length` inputs, but only output
 * positions[n] (ascending, repeats allowed) is written, as output n. The
 * running sums still visit every input; the skipped outputs cost no multiply
 * or store. Used where only the decimated samples are needed.
 */
export function boxFilterRowsAt(
  src: BoxSource,
  rowCount: number,
  length: number,
  window: number,
  inverse: Float64Array,
  positions: Int32Array,
  out: BoxOutput,
): void {
  const { data, offset, pitch } = src;
  const { dst, rowStride, outputStride } = out;
  for (let q = 0; q < rowCount; ) {
    const lanes = rowCount - q >= 4 ? 4 : 1;
    sample4(
      data,
      offset + q * pitch,
      lanes === 4 ? pitch : 0,
      length,
      window,
      inverse,
      positions,
      dst,
      out.offset + q * rowStride,
      lanes === 4 ? rowStride : 0,
      outputStride,
    );
    q += lanes;
  }
}

/*
 * Both kernels below always run four chains. For a lone remainder row the
 * caller passes pitch 0 and rowStride 0: the four chains then read the same
 * row and write the same slots with the same values. That keeps a single
 * copy of each loop; remainder rows are rare, so the extra work is small.
 */

function filter4(
  src: Float32Array,
  s0: number,
  pitch: number,
  length: number,
  window: number,
  inverse: Float64Array,
  from: number,
  to: number,
  sums: Float64Array | null,
  sumsAt: number,
  dst: Float32Array,
  d: number,
  rowStride: number,
  step: number,
): void {
  const lead = boxHalfWindow(window) - 1; // output i adds input i + lead
  const lag = window - lead; // and from i = lag on subtracts input i - lag
  const s1 = s0 + pitch;
  const s2 = s1 + pitch;
  const s3 = s2 + pitch;
  const q1 = rowStride;
  const q2 = 2 * rowStride;
  const q3 = 3 * rowStride;
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  if (from === 0) {
    for (let ri = 0; ri < lead; ri++) {
      a = fround(a + src[s0 + ri]);
      b = fround(b + src[s1 + ri]);
      c = fround(c + src[s2 + ri]);
      e = fround(e + src[s3 + ri]);
    }
  } else if (sums) {
    a = sums[sumsAt];
    // A lone row's duplicate chains must match it: they write the same slots.
    b = pitch !== 0 ? sums[sumsAt + 1] : a;
    c = pitch !== 0 ? sums[sumsAt + 2] : a;
    e = pitch !== 0 ? sums[sumsAt + 3] : a;
  }
  let oi = from;
  let o = d;
  for (const end = min(to, lag); oi < end; oi++, o += step) {
    const ri = oi + lead;
    const inv = inverse[oi];
    a = fround(a + src[s0 + ri]);
    b = fround(b + src[s1 + ri]);
    c = fround(c + src[s2 + ri]);
    e = fround(e + src[s3 + ri]);
    dst[o] = a * inv;
    dst[o + q1] = b * inv;
    dst[o + q2] = c * inv;
    dst[o + q3] = e * inv;
  }
  // Full windows. ri and li are the only induction variables: fewer live
  // counters measured ~20% faster than also stepping oi.
  const inv = 1 / window;
  const full = max(0, min(to, length - lead) - oi);
  for (let ri = oi + lead, li = oi - lag, stop = ri + full; ri < stop; ri++, li++, o += step) {
    a = fround(fround(a + src[s0 + ri]) - src[s0 + li]);
    b = fround(fround(b + src[s1 + ri]) - src[s1 + li]);
    c = fround(fround(c + src[s2 + ri]) - src[s2 + li]);
    e = fround(fround(e + src[s3 + ri]) - src[s3 + li]);
    dst[o] = a * inv;
    dst[o + q1] = b * inv;
    dst[o + q2] = c * inv;
    dst[o + q3] = e * inv;
  }
  oi += full;
  for (; oi < to; oi++, o += step) {
    const li = oi - lag;
    const inv = inverse[oi];
    a = fround(a - src[s0 + li]);
    b = fround(b - src[s1 + li]);
    c = fround(c - src[s2 + li]);
    e = fround(e - src[s3 + li]);
    dst[o] = a * inv;
    dst[o + q1] = b * inv;
    dst[o + q2] = c * inv;
    dst[o + q3] = e * inv;
  }
  if (sums) {
    sums[sumsAt] = a;
    if (pitch !== 0) {
      sums[sumsAt + 1] = b;
      sums[sumsAt + 2] = c;
      sums[sumsAt + 3] = e;
    }
  }
}

function sample4(
  src: Float32Array,
  s0: number,
  pitch: number,
  length: number,
  window: number,
  inverse: Float64Array,
  positions: Int32Array,
  dst: Float32Array,
  d: number,
  rowStride: number,
  step: number,
): void {
  const lead = boxHalfWindow(window) - 1;
  const lag = window - lead;
  const s1 = s0 + pitch;
  const s2 = s1 + pitch;
  const s3 = s2 + pitch;
  const q1 = rowStride;
  const q2 = 2 * rowStride;
  const q3 = 3 * rowStride;
  const wanted = positions.length;
  let n = 0; // next output number
  let next = wanted > 0 ? positions[0] : -1; // its position
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  for (let ri = 0; ri < lead; ri++) {
    a = fround(a + src[s0 + ri]);
    b = fround(b + src[s1 + ri]);
    c = fround(c + src[s2 + ri]);
    e = fround(e + src[s3 + ri]);
  }
  let oi = 0;
  // Outputs are rare (64 per row), so each phase runs in stretches up to the next one.
  while (oi < length) {
    const stop = next < 0 ? length : next + 1;
    for (const end = min(stop, lag); oi < end; oi++) {
      const ri = oi + lead;
      a = fround(a + src[s0 + ri]);
      b = fround(b + src[s1 + ri]);
      c = fround(c + src[s2 + ri]);
      e = fround(e + src[s3 + ri]);
    }
    const full = max(0, min(stop, length - lead) - oi);
    for (let ri = oi + lead, li = oi - lag, end = ri + full; ri < end; ri++, li++) {
      a = fround(fround(a + src[s0 + ri]) - src[s0 + li]);
      b = fround(fround(b + src[s1 + ri]) - src[s1 + li]);
      c = fround(fround(c + src[s2 + ri]) - src[s2 + li]);
      e = fround(fround(e + src[s3 + ri]) - src[s3 + li]);
    }
    oi += full;
    for (; oi < stop; oi++) {
      const li = oi - lag;
      a = fround(a - src[s0 + li]);
      b = fround(b - src[s1 + li]);
      c = fround(c - src[s2 + li]);
      e = fround(e - src[s3 + li]);
    }
    if (next < 0) break;
    // oi - 1 === next: emit output n and any repeats of the same position.
    const inv = inverse[next];
    do {
      const o = d + n * step;
      dst[o] = a * inv;
      dst[o + q1] = b * inv;
      dst[o + q2] = c * inv;
      dst[o + q3] = e * inv;
      n++;
    } while (n < wanted && positions[n] === next);
    next = n < wanted ? positions[n] : -1;
  }
}
