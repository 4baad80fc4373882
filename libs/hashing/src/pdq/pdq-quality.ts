import { PDQ_DOWNSAMPLE_SIZE, PDQ_MAX_QUALITY } from './pdq.constants';

const N = PDQ_DOWNSAMPLE_SIZE;
// Bound once: a global lookup (Math) per call is slow under Jest's vm sandbox, where the hashing specs run.
const { abs, fround, trunc } = Math;

/**
 * Adds |trunc(((u - v) * 100) / 255)| over every vertically and horizontally
 * adjacent pair, in float32 like the reference; the truncation makes only
 * steps of at least 2.55 grey levels count, so smooth gradients score low.
 */
function gradientTerm(u: number, v: number): number {
  return abs(trunc(fround(fround(fround(u - v) * 100) / 255)));
}

/** The reference's heuristic quality, 0..100, of a 64x64 blurred luma sample. */
export function pdqQuality(buffer64x64: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < N - 1; i++) {
    const row = i * N;
    for (let j = 0; j < N; j++) sum += gradientTerm(buffer64x64[row + j], buffer64x64[row + N + j]);
  }
  for (let i = 0; i < N; i++) {
    const row = i * N;
    for (let j = 0; j < N - 1; j++) sum += gradientTerm(buffer64x64[row + j], buffer64x64[row + j + 1]);
  }
  return Math.min(PDQ_MAX_QUALITY, Math.trunc(sum / 90));
}
