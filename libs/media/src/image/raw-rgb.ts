import type { Sharp } from 'sharp';

export interface RawRgbImage {
  /** Packed 8-bit RGB, row-major, 3 bytes per pixel. */
  data: Buffer;
  width: number;
  height: number;
}

/** Ends a sharp pipeline as packed 8-bit RGB, the form hashing and inference read. */
export async function toRawRgb(pipeline: Sharp): Promise<RawRgbImage> {
  const { data, info } = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
