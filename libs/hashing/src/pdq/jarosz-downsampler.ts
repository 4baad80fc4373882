import {
  BoxOutput,
  BoxSource,
  boxFilterRows,
  boxFilterRowsAt,
  boxHalfWindow,
  fillInverseCounts,
  jaroszWindowSize,
} from './box-filter';
import { PDQ_DOWNSAMPLE_SIZE } from './pdq.constants';
import { fillLumaRows, rgbView } from './rgb-luma';

const N = PDQ_DOWNSAMPLE_SIZE;

// Image rows converted to luma per step: a multiple of the filter's 4 lanes.
const LUMA_BLOCK = 8;

/**
 * Output rows per band: about 64K floats (256 KiB) per band buffer, 16..256
 * rows, a multiple of 4. Bigger bands measured only ~2% faster, and smaller
 * buffers keep memory flat for very large images.
 */
function bandRows(width: number): number {
  return Math.max(16, Math.min(256, 4 * Math.floor(16384 / width)));
}

/**
 * Blurs a float luma plane with the reference's two-pass Jarosz tent filter
 * and decimates it to 64x64, bit-exact with jaroszFilterFloat + decimateFloat.
 *
 * Every output gets the reference's float32 operations in the reference's
 * order; only the schedule differs, to stay in cache and skip dead work:
 *
 * - X pass 1 (along rows) writes its result transposed, so Y pass 1 (along
 *   columns) again runs along contiguous memory.
 * - The image is processed in bands of output rows. For each band, X pass 1
 *   runs just far enough ahead for Y pass 1 to finish the band, Y pass 1
 *   resumes every column's running sum where the previous band stopped, and
 *   X pass 2 filters the band at once. Only a band's worth of each
 *   intermediate exists at a time, instead of two full-size planes.
 * - X pass 2 is kept only at the 64 columns the decimation reads, and Y pass
 *   2 runs on those 64 columns only, kept at the 64 decimated rows. Each row
 *   and column is filtered independently, so the skipped outputs never feed
 *   the kept ones.
 *
 * Buffers grow to the largest image seen and are reused, so an instance is
 * cheap to call repeatedly but must not be shared between threads.
 */
export class JaroszDownsampler {
  private xOut = new Float32Array(0); // X pass 1, transposed: width rows of `depth` image rows
  private yBand = new Float32Array(0); // Y pass 1 for one band, row-major
  private lumaRows = new Float32Array(0);
  private kept = new Float32Array(0); // X pass 2 at the 64 columns, transposed: 64 x height
  private ySums = new Float64Array(0); // Y pass 1 running sum per column, carried across bands
  private inverseAlongRows = new Float64Array(0);
  private inverseAlongColumns = new Float64Array(0);
  private readonly sourceRows = new Int32Array(N);
  private readonly sourceColumns = new Int32Array(N);

  // Per-call state, set by run().
  private rgb: DataView | null = null;
  private luma: Float32Array | null = null;

  /** Packed RGB (3 bytes per pixel, no row padding) to a 64x64 blurred luma sample. */
  downsampleRgb(rgb: Uint8Array, width: number, height: number, out: Float32Array): void {
    this.rgb = rgbView(rgb);
    try {
      this.run(width, height, out);
    } finally {
      this.rgb = null;
    }
  }

  /** Row-major float luma to a 64x64 blurred sample. The input is not modified. */
  downsampleLuma(luma: Float32Array, width: number, height: number, out: Float32Array): void {
    this.luma = luma;
    try {
      this.run(width, height, out);
    } finally {
      this.luma = null;
    }
  }

  private run(width: number, height: number, out: Float32Array): void {
    const windowY = jaroszWindowSize(height);
    const lead = boxHalfWindow(windowY) - 1; // Y output i needs X rows up to i + lead
    const lag = windowY - lead; // and still subtracts X row i - lag
    const band = bandRows(width);
    const depth = band + windowY; // X rows held per column: one band plus the window around it
    this.prepare(width, height, depth, band);

    const xSource: BoxSource = { data: this.xOut, offset: 0, pitch: depth };
    const toBand: BoxOutput = { dst: this.yBand, offset: 0, rowStride: 1, outputStride: width };
    const bandSource: BoxSource = { data: this.yBand, offset: 0, pitch: width };
    const toKept: BoxOutput = { dst: this.kept, offset: 0, rowStride: 1, outputStride: height };

    let base = 0; // image row stored at xOut[x * depth]
    let produced = 0; // X pass 1 rows done
    for (let y0 = 0; y0 < height; y0 += band) {
      const y1 = Math.min(height, y0 + band);
      const keepFrom = Math.max(0, y0 - lag);
      if (keepFrom > base) {
        this.slide(width, depth, base, keepFrom, produced);
        base = keepFrom;
      }
      const need = Math.min(height, y1 + lead);
      this.xPass(width, produced, need, base, depth);
      produced = need;

      // Y pass 1 for rows y0..y1-1 of every column (= row of xOut).
      xSource.offset = 0 - base; // not -base: -0 is a double and would turn all index maths into float64
      boxFilterRows(xSource, width, height, windowY, this.inverseAlongColumns, toBand, y0, y1, this.ySums);

      // X pass 2 on the band, kept at the decimated columns.
      toKept.offset = y0;
      boxFilterRowsAt(
        bandSource,
        y1 - y0,
        width,
        jaroszWindowSize(width),
        this.inverseAlongRows,
        this.sourceColumns,
        toKept,
      );
    }

    // Y pass 2 on the 64 kept columns, kept at the decimated rows.
    boxFilterRowsAt(
      { data: this.kept, offset: 0, pitch: height },
      N,
      height,
      windowY,
      this.inverseAlongColumns,
      this.sourceRows,
      { dst: out, offset: 0, rowStride: 1, outputStride: N },
    );
  }

  /** X pass 1 for image rows from..to-1, stored transposed at row (y - base) of each column. */
  private xPass(width: number, from: number, to: number, base: number, depth: number): void {
    const windowX = jaroszWindowSize(width);
    const out: BoxOutput = { dst: this.xOut, offset: from - base, rowStride: 1, outputStride: depth };
    if (this.luma) {
      const source: BoxSource = { data: this.luma, offset: from * width, pitch: width };
      boxFilterRows(source, to - from, width, windowX, this.inverseAlongRows, out);
      return;
    }
    const rgb = this.rgb as DataView;
    const source: BoxSource = { data: this.lumaRows, offset: 0, pitch: width };
    for (let row = from; row < to; row += LUMA_BLOCK) {
      const rows = Math.min(LUMA_BLOCK, to - row);
      fillLumaRows(rgb, width, row, rows, this.lumaRows, 0);
      out.offset = row - base;
      boxFilterRows(source, rows, width, windowX, this.inverseAlongRows, out);
    }
  }

  /** Drops X rows below `keepFrom` by moving rows keepFrom..produced-1 to the front of each column. */
  private slide(width: number, depth: number, base: number, keepFrom: number, produced: number): void {
    const xOut = this.xOut;
    const count = produced - keepFrom;
    const shift = keepFrom - base;
    for (let x = 0, at = 0; x < width; x++, at += depth) {
      for (let r = at, end = at + count; r < end; r++) xOut[r] = xOut[r + shift];
    }
  }

  private prepare(width: number, height: number, depth: number, band: number): void {
    if (this.xOut.length < width * depth) this.xOut = new Float32Array(width * depth);
    if (this.yBand.length < width * band) this.yBand = new Float32Array(width * band);
    if (this.lumaRows.length < width * LUMA_BLOCK) this.lumaRows = new Float32Array(width * LUMA_BLOCK);
    if (this.kept.length < N * height) this.kept = new Float32Array(N * height);
    if (this.ySums.length < width) this.ySums = new Float64Array(width);
    if (this.inverseAlongRows.length < width) this.inverseAlongRows = new Float64Array(width);
    if (this.inverseAlongColumns.length < height) this.inverseAlongColumns = new Float64Array(height);
    fillInverseCounts(width, jaroszWindowSize(width), this.inverseAlongRows);
    fillInverseCounts(height, jaroszWindowSize(height), this.inverseAlongColumns);
    // Reference: floor(((i + 0.5) * dim) / 64), evaluated in double.
    for (let i = 0; i < N; i++) {
      this.sourceRows[i] = Math.floor(((i + 0.5) * height) / N);
      this.sourceColumns[i] = Math.floor(((i + 0.5) * width) / N);
    }
  }
}
