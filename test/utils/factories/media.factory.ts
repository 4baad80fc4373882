import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { renderLavfiVideo } from '@loupe/media/testing';

/** A copy as a re-uploader makes it: scaled, re-encoded as JPEG, and watermarked. */
export async function reencodedCopy(image: Buffer, options: { scale?: number; quality?: number; watermark?: string } = {}): Promise<Buffer> {
  const { scale = 0.8, quality = 70, watermark = '@reposter' } = options;
  const meta = await sharp(image).metadata();
  const width = Math.round(meta.width! * scale);
  const height = Math.round(meta.height! * scale);
  // A platform-style handle in a corner: semi-transparent text, as short-video apps stamp on downloads.
  const mark = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="${width - 120}" y="${height - 12}" font-family="sans-serif" font-size="16" font-weight="bold" fill="white" fill-opacity="0.6">${watermark}</text></svg>`,
  );
  return sharp(image).resize(width, height).composite([{ input: mark }]).jpeg({ quality }).toBuffer();
}

export async function rotatedCopy(image: Buffer, degrees: 90 | 180 | 270): Promise<Buffer> {
  return sharp(image).rotate(degrees).png().toBuffer();
}

/** A short synthetic H.264 MP4 (or WebM/MOV by extension), rendered by ffmpeg from a lavfi source. */
export async function makeVideo(options: { seconds?: number; seed?: number; extension?: 'mp4' | 'webm' | 'mov'; size?: string } = {}): Promise<Buffer> {
  const { seconds = 5, seed = 1, extension = 'mp4', size = '320x240' } = options;
  const dir = await mkdtemp(path.join(tmpdir(), 'loupe-video-'));
  try {
    const file = path.join(dir, `video.${extension}`);
    // mandelbrot zooms differently per start scale, so seeds give unrelated videos.
    await renderLavfiVideo(file, {
      source: `mandelbrot=size=${size}:rate=25:start_scale=${(3 / seed).toFixed(4)}:end_scale=0.01`,
      duration: seconds,
      codec: extension === 'webm' ? 'vp9' : 'h264',
    });
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
