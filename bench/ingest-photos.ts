/**
 * The photos the ingest benches upload or process: distinct photo-like
 * JPEGs of typical upload sizes, made once and kept between runs.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { syntheticPhotoRgb } from '@loupe/common';

/** Where photos, videos and the backbone's graph are kept between runs. */
export const BENCH_CACHE = path.join(os.tmpdir(), 'loupe-bench-ingest');

/** Decoded sizes of typical uploads: phone photos and screenshots as platforms resize them, 640 to 1080 px. */
export const UPLOAD_SIZES = '640x480,1080x1080,1080x1350,720x1280,800x600,1080x720,960x540,1080x608';

export function parseSizes(sizes: string): Array<[number, number]> {
  return sizes.split(',').map((size) => size.split('x').map(Number) as [number, number]);
}

export interface BenchPhoto {
  file: Buffer;
  width: number;
  height: number;
}

/**
 * A distinct photo-like JPEG per seed. The pixels are made at a quarter of
 * the size and scaled up (syntheticPhotoRgb is smooth, so nothing is lost
 * that PDQ or the model would see; it is 16 times cheaper), then kept in
 * the cache for later runs.
 */
export async function benchPhoto(seed: number, sizes: Array<[number, number]>): Promise<BenchPhoto> {
  const [width, height] = sizes[seed % sizes.length];
  const file = path.join(BENCH_CACHE, `photo-${seed}-${width}x${height}.jpg`);
  if (existsSync(file)) return { file: await readFile(file), width, height };
  const w = Math.round(width / 4);
  const h = Math.round(height / 4);
  const jpeg = await sharp(syntheticPhotoRgb(1_000_003 + seed, w, h), { raw: { width: w, height: h, channels: 3 } })
    .resize(width, height, { kernel: 'lanczos3' })
    .jpeg({ quality: 85 })
    .toBuffer();
  await writeFile(file, jpeg);
  return { file: jpeg, width, height };
}
