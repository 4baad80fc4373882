import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

import { seededRandom } from '@loupe/common';

/** A small deterministic PRNG (mulberry32), so every run makes the same images. */
export const prng = seededRandom;

/**
 * Raw RGB that looks, to PDQ, like a photo: smooth low-frequency shading and
 * a few large soft-edged shapes. Its hash has full quality, survives
 * re-encoding and resizing as a photo's does, and different seeds give
 * distant hashes.
 */
export function makeRgb(seed: number, width: number, height: number): Buffer {
  // Local names for Math's functions: under Jest the code runs in a vm
  // context, where every lookup of a global such as `Math` goes through an
  // interceptor, and that made this loop 15 times slower than in plain Node.
  const { sin, hypot, min, max, round, PI } = Math;
  const random = prng(seed);
  // A 1/f spectrum, as natural images have: every frequency PDQ looks at
  // carries energy, so a small local change (a watermark) moves few bits.
  const waves = Array.from({ length: 48 }, () => {
    const cycles = 0.5 + 15.5 * random() ** 2;
    const angle = random() * Math.PI * 2;
    return {
      fx: (cycles * Math.cos(angle)) / width,
      fy: (cycles * Math.sin(angle)) / height,
      phase: random() * Math.PI * 2,
      channel: Math.floor(random() * 3),
      amplitude: 90 / (1 + cycles),
    };
  });
  const discs = Array.from({ length: 8 }, () => ({
    x: random() * width,
    y: random() * height,
    r: (0.05 + random() * 0.2) * Math.min(width, height),
    colour: [random() * 255, random() * 255, random() * 255],
  }));
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pixel = [128, 128, 128];
      for (const w of waves) pixel[w.channel] += w.amplitude * sin(2 * PI * (w.fx * x + w.fy * y) + w.phase);
      for (const d of discs) {
        // A soft edge, as real objects have: full weight inside, fading over a tenth of the radius.
        const edge = min(1, max(0, (d.r - hypot(x - d.x, y - d.y)) / (d.r * 0.1)));
        for (let c = 0; c < 3; c++) pixel[c] = pixel[c] * (1 - edge / 2) + (d.colour[c] * edge) / 2;
      }
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = max(0, min(255, round(pixel[c])));
    }
  }
  return data;
}

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

export async function makeImage(options: { seed: number; width?: number; height?: number; format?: ImageFormat }): Promise<Buffer> {
  const { seed, width = 320, height = 240, format = 'png' } = options;
  return encodeRgb(makeRgb(seed, width, height), width, height, format);
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
