import { PDQ_DCT_SIZE, PDQ_DOWNSAMPLE_SIZE } from './pdq.constants';

const N = PDQ_DOWNSAMPLE_SIZE;
const K = PDQ_DCT_SIZE;
const fround = Math.fround;

/**
 * Rows 1..16 of the 64-point DCT-II basis, row-major 16x64: built in double
 * and rounded to float32 once, as the reference does. The scale factor is
 * itself a float32 constant in the reference, so it is rounded first.
 */
function buildDctMatrix(): Float32Array {
  const scale = fround(Math.sqrt(2 / N));
  const matrix = new Float32Array(K * N);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < N; j++) {
      // Same association as the reference: ((pi / 2 / 64) * (i + 1)) * (2j + 1).
      matrix[i * N + j] = scale * Math.cos((Math.PI / 2 / N) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
}

const DCT = buildDctMatrix();

// Transposed copy (64x16) so the second product also runs along contiguous memory.
const DCT_T = (() => {
  const t = new Float32Array(N * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < N; j++) t[j * K + i] = DCT[i * N + j];
  return t;
})();

/** The float32 DCT matrix (16x64, row-major); exposed for tests. */
export function pdqDctMatrix(): Float32Array {
  return DCT.slice();
}

/**
 * B = D * A * D^T for a 64x64 A, keeping only the 16x16 low-frequency block.
 *
 * Every output is a float32 sum over k = 0..63 in increasing k, each product
 * rounded to float32 before it is added (the reference is compiled without
 * FMA). Eight outputs are accumulated at once in locals: independent chains
 * overlap in the CPU, and locals avoid a typed-array round trip per term.
 *
 * @param a 64x64 input, row-major
 * @param t 16x64 scratch (T = D * A)
 * @param b 16x16 output, row-major
 */
export function dct64To16(a: Float32Array, t: Float32Array, b: Float32Array): void {
  for (let i = 0; i < K; i++) {
    const di = i * N;
    for (let j = 0; j < N; j += 8) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let k = 0, ak = j; k < N; k++, ak += N) {
        const d = DCT[di + k];
        s0 = fround(s0 + fround(d * a[ak]));
        s1 = fround(s1 + fround(d * a[ak + 1]));
        s2 = fround(s2 + fround(d * a[ak + 2]));
        s3 = fround(s3 + fround(d * a[ak + 3]));
        s4 = fround(s4 + fround(d * a[ak + 4]));
        s5 = fround(s5 + fround(d * a[ak + 5]));
        s6 = fround(s6 + fround(d * a[ak + 6]));
        s7 = fround(s7 + fround(d * a[ak + 7]));
      }
      const o = di + j;
      t[o] = s0;
      t[o + 1] = s1;
      t[o + 2] = s2;
      t[o + 3] = s3;
      t[o + 4] = s4;
      t[o + 5] = s5;
      t[o + 6] = s6;
      t[o + 7] = s7;
    }
  }

  // B[i][j] = sum_k T[i][k] * D[j][k], read through the transposed copy.
  for (let i = 0; i < K; i++) {
    const ti = i * N;
    for (let j = 0; j < K; j += 8) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let k = 0, dk = j; k < N; k++, dk += K) {
        const v = t[ti + k];
        s0 = fround(s0 + fround(v * DCT_T[dk]));
        s1 = fround(s1 + fround(v * DCT_T[dk + 1]));
        s2 = fround(s2 + fround(v * DCT_T[dk + 2]));
        s3 = fround(s3 + fround(v * DCT_T[dk + 3]));
        s4 = fround(s4 + fround(v * DCT_T[dk + 4]));
        s5 = fround(s5 + fround(v * DCT_T[dk + 5]));
        s6 = fround(s6 + fround(v * DCT_T[dk + 6]));
        s7 = fround(s7 + fround(v * DCT_T[dk + 7]));
      }
      const o = i * K + j;
      b[o] = s0;
      b[o + 1] = s1;
      b[o + 2] = s2;
      b[o + 3] = s3;
      b[o + 4] = s4;
      b[o + 5] = s5;
      b[o + 6] = s6;
      b[o + 7] = s7;
    }
  }
}
