import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

import { seededRandom, syntheticPhotoRgb } from '@loupe/common';
import { keptFixture } from './kept-fixture';

/** A small deterministic PRNG (mulberry32), so every run makes the same images. */
export const prng = seededRandom;

/** Raw RGB that looks, to PDQ, like a photo (see syntheticPhotoRgb). */
export const makeRgb = syntheticPhotoRgb;

export async function encodeRgb(rgb: Buffer, width: number, height: number, format: ImageFormat = 'png'): Promise<Buffer> {
  const image = sharp(rgb, { raw: { width, height, channels: 3 } });
  switch (format) {
    case 'png':
      return image.png().toBuffer();
    case 'jpeg':
      return image.jpeg({ quality: 90 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 90 }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
  }
}

/** What a photo depends on (see keptFixture). */
const PHOTO_SOURCES = ['test/utils/factories/image.factory.ts', 'libs/common/src/synthetic-photo.ts', 'libs/common/src/seeded-random.ts'];

/** A synthetic photo (makeRgb), encoded; kept between files and runs (keptFixture), as the same seeds recur. */
export function makeImage(options: { seed: number; width?: number; height?: number; format?: ImageFormat }): Promise<Buffer> {
  const { seed, width = 320, height = 240, format = 'png' } = options;
  return keptFixture('photos', PHOTO_SOURCES, `${seed}-${width}x${height}.${format}`, () => encodeRgb(makeRgb(seed, width, height), width, height, format));
}

/** The first `fraction` of a file, as an interrupted upload leaves it. */
export function truncate(file: Buffer, fraction = 0.6): Buffer {
  return file.subarray(0, Math.floor(file.length * fraction));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A well-formed PNG of a few kilobytes that declares 60000x60000 pixels. */
export function makeDecompressionBomb(): Buffer {
  const width = 60_000;
  return png(width, 60_000, deflateSync(Buffer.alloc((width * 3 + 1) * 4)));
}

/** A PNG whose structure and checksums are sound but whose pixel data is not a zlib stream. */
export function makeCorruptPixelsPng(): Buffer {
  return png(64, 64, Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) & 0xff)));
}
