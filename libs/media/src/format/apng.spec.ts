import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { renderLavfiApng } from '../testing/lavfi-fixture';
import { VideoCodec } from '../video/video-codec';
import type { VideoFrame } from '../video/video.types';
import { animatedPngFrames } from './apng';

jest.setTimeout(60_000);

let dir: string;
let apng: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-apng-'));
  apng = path.join(dir, 'anim.png');
  await renderLavfiApng(apng, { source: 'testsrc2=size=32x24:rate=2', frames: 4 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('animated PNG', () => {
  it('is told from a still PNG by its acTL chunk', async () => {
    expect(animatedPngFrames(await readFile(apng))).toBe(4);
    const still = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).png().toBuffer();
    expect(animatedPngFrames(still)).toBeNull();
    // Not a PNG at all: nothing to count.
    expect(animatedPngFrames(await sharp(still).jpeg().toBuffer())).toBeNull();
    // sharp sees one image, which is why an APNG goes to ffmpeg.
    expect((await sharp(apng).metadata()).pages ?? 1).toBe(1);
  });

  it('is decoded frame by frame by VideoCodec with the apng demuxer only', async () => {
    const codec = new VideoCodec();
    const frames: VideoFrame[] = [];
    for await (const frame of codec.frames(apng, { fps: 0, container: 'apng' })) frames.push(frame);
    expect(frames.map((f) => [f.frameNumber, f.timestamp, f.width, f.height])).toEqual([
      [0, 0, 32, 24],
      [1, 0.5, 32, 24],
      [2, 1, 32, 24],
      [3, 1.5, 32, 24],
    ]);
    // As an ordinary video input, a PNG is still refused.
    await expect(codec.probe(apng)).rejects.toMatchObject({ code: 'media.unsupported_type' });
  });
});
