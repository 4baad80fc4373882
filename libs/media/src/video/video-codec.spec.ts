import { copyFile, link, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderLavfiVideo } from '../testing/lavfi-fixture';
import { VideoCodec } from './video-codec';
import { VideoTools } from './video-tools';
import type { VideoFrame, VideoFrameOptions } from './video.types';

/*
 * Probing and decoding real files, made here from ffmpeg's lavfi sources:
 * no binary fixtures, nothing from ../shared needed.
 */

jest.setTimeout(60_000);

const codec = new VideoCodec();
let dir: string;
const file = (name: string) => path.join(dir, name);

async function collect(videoPath: string, options: VideoFrameOptions): Promise<VideoFrame[]> {
  const frames: VideoFrame[] = [];
  for await (const frame of codec.frames(videoPath, options)) frames.push(frame);
  return frames;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-video-codec-'));
  await Promise.all([
    // 5 s at 25 fps = 125 frames, with an audio track.
    renderLavfiVideo(file('testsrc.mp4'), { source: 'testsrc2=size=320x240:rate=25', duration: 5, codec: 'h264', audio: true }),
    renderLavfiVideo(file('mandelbrot.webm'), { source: 'mandelbrot=size=160x120:rate=20', duration: 2, codec: 'vp9' }),
    renderLavfiVideo(file('vp8.webm'), { source: 'testsrc2=size=176x144:rate=10', duration: 2, codec: 'vp8' }),
    renderLavfiVideo(file('rotated.mov'), { source: 'testsrc2=size=320x240:rate=30', duration: 1, codec: 'h264', rotate: 90 }),
    renderLavfiVideo(file('ntsc.mp4'), { source: 'testsrc2=size=160x120:rate=30000/1001', duration: 3, codec: 'h264' }),
    // Left half red, right half blue: checks channel order and orientation.
    renderLavfiVideo(file('red-blue.mp4'), {
      source: 'color=c=red:size=32x32:rate=10[l];color=c=blue:size=32x32:rate=10[r];[l][r]hstack[out0]',
      duration: 1,
      codec: 'h264',
    }),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('VideoCodec.probe', () => {
  it('reads an H.264 MP4 with audio', async () => {
    const probe = await codec.probe(file('testsrc.mp4'));
    expect(probe).toMatchObject({
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      width: 320,
      height: 240,
      codedWidth: 320,
      codedHeight: 240,
      rotation: 0,
      frameRate: 25,
      frameRateRational: '25/1',
      frameCount: 125,
      codec: 'h264',
      pixelFormat: 'yuv420p',
      hasAudio: true,
      streamIndex: 0,
    });
    expect(probe.duration).toBeCloseTo(5, 1);
  });

  it('reads VP9 and VP8 in WebM', async () => {
    const vp9 = await codec.probe(file('mandelbrot.webm'));
    expect(vp9).toMatchObject({ container: 'matroska,webm', codec: 'vp9', width: 160, height: 120, frameRate: 20, hasAudio: false });
    expect(vp9.duration).toBeCloseTo(2, 1);
    const vp8 = await codec.probe(file('vp8.webm'));
    expect(vp8).toMatchObject({ container: 'matroska,webm', codec: 'vp8', width: 176, height: 144, frameRate: 10 });
  });

  it('reports the display-matrix rotation of a MOV and the displayed size', async () => {
    const probe = await codec.probe(file('rotated.mov'));
    expect(probe.rotation).toBe(90);
    expect({ width: probe.width, height: probe.height }).toEqual({ width: 240, height: 320 });
    expect({ width: probe.codedWidth, height: probe.codedHeight }).toEqual({ width: 320, height: 240 });
  });

  it('keeps a fractional frame rate', async () => {
    const probe = await codec.probe(file('ntsc.mp4'));
    expect(probe.frameRateRational).toBe('30000/1001');
    expect(probe.frameRate).toBeCloseTo(29.97, 2);
  });

  it('runs ffprobe once for a file, its hard link and its renamed self, and again for a copy or a rewrite', async () => {
    // The real ffprobe, behind a script that counts its runs.
    const runs = file('ffprobe-runs.log');
    const counting = file('ffprobe-counting.sh');
    await writeFile(counting, `#!/bin/sh\necho run >> '${runs}'\nexec ffprobe "$@"\n`, { mode: 0o755 });
    const once = new VideoCodec(new VideoTools({ ffmpegPath: 'ffmpeg', ffprobePath: counting }));
    const ffprobeRuns = async () => (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

    const original = file('probed-once.mp4');
    await copyFile(file('testsrc.mp4'), original);
    const first = await once.probe(original);
    expect(first.frameRate).toBe(25);
    // What the caller does with its probe does not change the next one.
    first.frameRate = 1;
    await link(original, file('probed-once-linked.mp4'));
    expect(await once.probe(file('probed-once-linked.mp4'))).toMatchObject({ frameRate: 25, codedWidth: 320 });
    await rename(file('probed-once-linked.mp4'), file('probed-once-renamed.mp4'));
    expect(await once.probe(file('probed-once-renamed.mp4'))).toMatchObject({ frameRate: 25 });
    expect(await once.probe(original)).toMatchObject({ frameRate: 25 });
    expect(await ffprobeRuns()).toBe(1);

    await copyFile(original, file('probed-once-copied.mp4'));
    expect(await once.probe(file('probed-once-copied.mp4'))).toMatchObject({ frameRate: 25 });
    expect(await ffprobeRuns()).toBe(2);
    // Other bytes under the same name (and inode) are another file.
    await writeFile(original, await readFile(file('ntsc.mp4')));
    expect((await once.probe(original)).frameRateRational).toBe('30000/1001');
    expect(await ffprobeRuns()).toBe(3);
    // A probe that fails is not kept: the next call runs ffprobe again.
    await writeFile(file('probed-broken.mp4'), Buffer.alloc(4096, 7));
    await expect(once.probe(file('probed-broken.mp4'))).rejects.toThrow();
    await expect(once.probe(file('probed-broken.mp4'))).rejects.toThrow();
  });
});

describe('VideoCodec.frames', () => {
  it('starts ffmpeg without ffprobe when given the probe, and gives the same frames', async () => {
    // A codec whose ffprobe cannot run: only a call that skips the probe can decode.
    const noProbe = new VideoCodec(new VideoTools({ ffmpegPath: 'ffmpeg', ffprobePath: '/nonexistent/ffprobe' }));
    const probe = await codec.probe(file('testsrc.mp4'));
    const given: VideoFrame[] = [];
    for await (const frame of noProbe.frames(file('testsrc.mp4'), { fps: 2, probe })) given.push(frame);
    const probed = await collect(file('testsrc.mp4'), { fps: 2 });
    expect(given.map((f) => f.frameNumber)).toEqual(probed.map((f) => f.frameNumber));
    given.forEach((f, i) => expect(f.rgb.equals(probed[i].rgb)).toBe(true));
    await expect(noProbe.frames(file('testsrc.mp4'), { fps: 2 }).next()).rejects.toThrow(/ffprobe/);
  });

  it('gives every decoded frame with fps 0', async () => {
    const frames = await collect(file('testsrc.mp4'), { fps: 0 });
    expect(frames).toHaveLength(125);
    frames.forEach((f, i) => {
      expect(f).toMatchObject({ index: i, frameNumber: i, width: 320, height: 240 });
      expect(f.timestamp).toBeCloseTo(i / 25, 12);
      expect(f.rgb).toHaveLength(320 * 240 * 3);
    });
    // Consecutive frames of a moving pattern differ: the stream is not one frame repeated.
    expect(frames[0].rgb.equals(frames[60].rgb)).toBe(false);
  });

  it('samples one frame per second by count, the very frames fps 0 gives', async () => {
    const all = await collect(file('testsrc.mp4'), { fps: 0 });
    const sampled = await collect(file('testsrc.mp4'), {}); // default: 1 frame per second
    expect(sampled.map((f) => f.timestamp)).toEqual([0, 1, 2, 3, 4]);
    expect(sampled.map((f) => f.frameNumber)).toEqual([0, 25, 50, 75, 100]);
    expect(sampled.map((f) => f.index)).toEqual([0, 1, 2, 3, 4]);
    for (const f of sampled) expect(f.rgb.equals(all[f.frameNumber].rgb)).toBe(true);
  });

  it('truncates the frame interval like the reference (2 fps of 25 -> every 12th)', async () => {
    const frames = await collect(file('testsrc.mp4'), { fps: 2 });
    expect(frames.map((f) => f.frameNumber)).toEqual([0, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120]);
  });

  it('counts frames, not seconds, at 29.97 fps', async () => {
    const frames = await collect(file('ntsc.mp4'), { fps: 1 });
    // frameMod = trunc(1 * 29.97) = 29, so frame 87 is taken at 2.903 s.
    expect(frames.map((f) => f.frameNumber)).toEqual([0, 29, 58, 87]);
    expect(frames[3].timestamp).toBeCloseTo(87 / (30000 / 1001), 12);
  });

  it('scales to the requested size', async () => {
    const frames = await collect(file('testsrc.mp4'), { fps: 1, scale: { width: 64, height: 48 } });
    expect(frames).toHaveLength(5);
    for (const f of frames) {
      expect([f.width, f.height]).toEqual([64, 48]);
      expect(f.rgb).toHaveLength(64 * 48 * 3);
    }
  });

  it('stops after maxFrames', async () => {
    const frames = await collect(file('testsrc.mp4'), { fps: 0, maxFrames: 3 });
    expect(frames.map((f) => f.frameNumber)).toEqual([0, 1, 2]);
  });

  it('decodes VP9 and VP8 WebM', async () => {
    expect(await collect(file('mandelbrot.webm'), { fps: 0 })).toHaveLength(40);
    const vp8 = await collect(file('vp8.webm'), { fps: 5 });
    expect(vp8.map((f) => f.frameNumber)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(vp8[0].rgb).toHaveLength(176 * 144 * 3);
  });

  it('does not apply the rotation (-noautorotate), like the reference', async () => {
    const frames = await collect(file('rotated.mov'), { fps: 0 });
    expect(frames).toHaveLength(30);
    expect([frames[0].width, frames[0].height]).toEqual([320, 240]);
  });

  it('returns packed rgb24, row-major, left to right', async () => {
    const [frame] = await collect(file('red-blue.mp4'), { fps: 0, maxFrames: 1 });
    expect([frame.width, frame.height]).toEqual([64, 32]);
    const pixel = (x: number, y: number) => [...frame.rgb.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3)];
    for (const [x, y] of [[8, 8], [20, 28]]) {
      const [r, g, b] = pixel(x, y);
      expect(r).toBeGreaterThan(230);
      expect(Math.max(g, b)).toBeLessThan(25);
    }
    for (const [x, y] of [[40, 8], [60, 30]]) {
      const [r, g, b] = pixel(x, y);
      expect(b).toBeGreaterThan(230);
      expect(Math.max(r, g)).toBeLessThan(25);
    }
  });

  it('rejects invalid options', async () => {
    await expect(collect(file('testsrc.mp4'), { fps: -1 })).rejects.toThrow(RangeError);
    await expect(collect(file('testsrc.mp4'), { maxFrames: 0 })).rejects.toThrow(RangeError);
    await expect(collect(file('testsrc.mp4'), { scale: { width: 0, height: 10 } })).rejects.toThrow(RangeError);
    await expect(collect(file('testsrc.mp4'), { maxFramePixels: 1000 })).rejects.toMatchObject({ code: 'media.too_many_pixels' });
  });
});
