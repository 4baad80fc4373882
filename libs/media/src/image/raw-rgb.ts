import type { Sharp } from 'sharp';
import type { RawRgbImage } from './image-codec';

/** Ends a sharp pipeline as packed 8-bit RGB, the form hashing and inference read. */
export async function toRawRgb(pipeline: Sharp): Promise<RawRgbImage> {
  const { data, info } = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
