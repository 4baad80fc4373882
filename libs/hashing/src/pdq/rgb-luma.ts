/*
 * Luma exactly as the reference's fillFloatLumaFromRGB computes it in float32:
 * ((0.299f * R) + (0.587f * G)) + (0.114f * B), every product and sum rounded.
 * Because R, G, B are bytes the partial results can be tabulated: per pixel
 * that leaves two table loads, one add, and the float32 store as the last
 * rounding. The red+green table is indexed by (G << 8) | R, which is the
 * little-endian 16-bit value of the R,G byte pair, so four pixels (12 bytes)
 * are read as three 32-bit words and split with shifts instead of twelve
 * separately bounds-checked byte loads.
 */

const R_COEFF = Math.fround(0.299);
const G_COEFF = Math.fround(0.587);
const B_COEFF = Math.fround(0.114);

function buildGreenRedTable(): Float32Array {
  const table = new Float32Array(256 * 256); // 256 KiB, stays in L2
  for (let g = 0; g < 256; g++) {
    const gPart = Math.fround(G_COEFF * g);
    for (let r = 0; r < 256; r++) table[(g << 8) | r] = Math.fround(R_COEFF * r) + gPart;
  }
  return table;
}

function buildBlueTable(): Float32Array {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) table[b] = B_COEFF * b;
  return table;
}

// Built on first use: 256 KiB is not worth allocating in processes that never hash.
let greenRed: Float32Array | undefined;
let blue: Float32Array | undefined;

/** Reads packed RGB as little-endian 32-bit words; valid for any byteOffset. */
export function rgbView(rgb: Uint8Array): DataView {
  return new DataView(rgb.buffer, rgb.byteOffset, rgb.byteLength);
}

/**
 * Converts `rowCount` rows of packed RGB (3 bytes per pixel, no row padding),
 * starting at `firstRow`, into `out` from `outOffset` on. `view` comes from
 * rgbView() on the same buffer.
 */
export function fillLumaRows(
  view: DataView,
  width: number,
  firstRow: number,
  rowCount: number,
  out: Float32Array,
  outOffset: number,
): void {
  const gr = (greenRed ??= buildGreenRedTable());
  const b = (blue ??= buildBlueTable());
  const count = width * rowCount;
  let p = firstRow * width * 3;
  let i = outOffset;
  const end = outOffset + count;
  for (; i + 4 <= end; i += 4, p += 12) {
    // bytes: R0 G0 B0 R1 | G1 B1 R2 G2 | B2 R3 G3 B3
    const w0 = view.getUint32(p, true);
    const w1 = view.getUint32(p + 4, true);
    const w2 = view.getUint32(p + 8, true);
    out[i] = gr[w0 & 0xffff] + b[(w0 >>> 16) & 0xff];
    out[i + 1] = gr[((w1 & 0xff) << 8) | (w0 >>> 24)] + b[(w1 >>> 8) & 0xff];
    out[i + 2] = gr[w1 >>> 16] + b[w2 & 0xff];
    out[i + 3] = gr[(w2 >>> 8) & 0xffff] + b[w2 >>> 24];
  }
  for (; i < end; i++, p += 3) {
    out[i] = gr[(view.getUint8(p + 1) << 8) | view.getUint8(p)] + b[view.getUint8(p + 2)];
  }
}

/**
 * Float32 luma of a packed RGB image, bit-identical to the reference. Useful
 * when the same frame is hashed more than once, or to feed `hashFromLuma`.
 */
export function rgbToLuma(
  rgb: Uint8Array,
  width: number,
  height: number,
  out: Float32Array = new Float32Array(width * height),
): Float32Array {
  assertRgbSize(rgb, width, height);
  if (out.length < width * height) {
    throw new RangeError(`Luma buffer holds ${out.length} values, a ${width}x${height} image needs ${width * height}`);
  }
  fillLumaRows(rgbView(rgb), width, 0, height, out, 0);
  return out;
}

export function assertDimensions(width: number, height: number): void {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`Invalid image size ${width}x${height}`);
  }
}

export function assertRgbSize(rgb: Uint8Array, width: number, height: number): void {
  assertDimensions(width, height);
  if (rgb.length < width * height * 3) {
    throw new RangeError(`RGB buffer has ${rgb.length} bytes, a ${width}x${height} image needs ${width * height * 3}`);
  }
}

export function assertLumaSize(luma: Float32Array, width: number, height: number): void {
  assertDimensions(width, height);
  if (luma.length < width * height) {
    throw new RangeError(`Luma buffer has ${luma.length} values, a ${width}x${height} image needs ${width * height}`);
  }
}
