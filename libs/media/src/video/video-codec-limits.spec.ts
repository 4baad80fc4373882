import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MediaError } from '../media.error';
import { renderLavfiVideo, rewriteMp4Duration } from '../testing/lavfi-fixture';
import { VideoCodec } from './video-codec';
import type { VideoFrame, VideoFrameOptions } from './video.types';

/*
 * Limits enforced while decoding, from the frames themselves: a header can
 * declare a short duration, or none, and carry far more video.
 */

jest.setTimeout(60_000);

const codec = new VideoCodec();
let dir: string;
let lying: string;
let undeclared: string;
let honest: string;
let slowing: string;

async function collect(videoPath: string, options: VideoFrameOptions): Promise<VideoFrame[]> {
  const frames: VideoFrame[] = [];
  for await (const frame of codec.frames(videoPath, options)) frames.push(frame);
  return frames;
}

async function failure(videoPath: string, options: VideoFrameOptions): Promise<{ error: MediaError; frames: number }> {
  let frames = 0;
  try {
    for await (const _frame of codec.frames(videoPath, options)) frames++;
  } catch (error) {
    if (error instanceof MediaError) return { error, frames };
    throw error;
  }
  throw new Error(`decoded all ${frames} frames without failing`);
}

function ffmpegProcessesWith(needle: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        return path.basename(argv[0]) === 'ffmpeg' && argv.some((a) => a.includes(needle));
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-limits-'));
  const source = 'testsrc2=size=96x64:rate=25';
  honest = path.join(dir, 'honest.mp4');
  lying = path.join(dir, 'lying.mp4');
  undeclared = path.join(dir, 'undeclared.webm');
  await renderLavfiVideo(honest, { source, duration: 3, codec: 'h264' });
  await renderLavfiVideo(lying, { source, duration: 8, codec: 'h264' });
  await rewriteMp4Duration(lying, 1);
  await renderLavfiVideo(undeclared, { source, duration: 8, codec: 'vp8', live: true });
  // 25 frames in the first second, then one every 2 s: the frame rate a demuxer guesses (25) undercounts the time.
  slowing = path.join(dir, 'slowing.webm');
  await renderLavfiVideo(slowing, { source: `${source},setpts=if(lt(N\\,25)\\,N/25\\,1+(N-25)*2)/TB`, duration: 9.5, codec: 'vp8', live: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('VideoCodec.frames limits', () => {
  it('the fixtures lie: one header says 1 s for 8 s of frames, the other gives no duration', async () => {
    expect((await codec.probe(lying)).duration).toBeCloseTo(1, 1);
    expect((await codec.probe(undeclared)).duration).toBeNull();
  });

  it.each([
    ['a header that says 1 s', () => lying],
    ['a header with no duration', () => undeclared],
  ])('stops a video whose %s at maxSeconds (media.too_long)', async (_name, file) => {
    const { error, frames } = await failure(file(), { fps: 1, maxSeconds: 3 });
    expect(error.code).toBe('media.too_long');
    expect(error.details).toMatchObject({ maxSeconds: 3 });
    expect(frames).toBeLessThanOrEqual(3);
    expect(ffmpegProcessesWith(path.basename(file()))).toEqual([]);
  });

  it('counts by the frames\' timestamps, not only by their number', async () => {
    const probe = await codec.probe(slowing);
    expect([probe.duration, probe.frameRate]).toEqual([null, 25]);
    // 30 frames: 1.2 s by count at 25 fps, 9 s by their timestamps.
    expect(await collect(slowing, { fps: 0 })).toHaveLength(30);
    const { error } = await failure(slowing, { fps: 0, maxSeconds: 5 });
    expect(error.code).toBe('media.too_long');
    expect(error.details?.decodedSeconds).toBeGreaterThan(5);
  });

  it('lets a video of exactly maxSeconds through', async () => {
    expect(await collect(honest, { fps: 0, maxSeconds: 3 })).toHaveLength(75);
    expect(await collect(honest, { fps: 1, maxSeconds: 3 })).toHaveLength(3);
  });

  it('stops at maxDecodedFrames and frameLimit (media.too_many_frames)', async () => {
    expect((await failure(honest, { fps: 1, maxDecodedFrames: 40 })).error).toMatchObject({ code: 'media.too_many_frames', details: { maxFrames: 40 } });
    const limited = await failure(honest, { fps: 0, frameLimit: 10 });
    expect(limited.error).toMatchObject({ code: 'media.too_many_frames', details: { maxFrames: 10 } });
    expect(limited.frames).toBe(10);
    expect(await collect(honest, { fps: 0, frameLimit: 75 })).toHaveLength(75);
  });
});
