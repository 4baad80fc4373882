import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderSvg } from '../image/svg-render';
import { MediaError } from '../media.error';
import { VideoCodec } from './video-codec';
import { encodeFramesToMp4 } from './video-encode';

// ffmpeg encodes, probes and decodes here: seconds on a loaded CI machine,
// as in the other specs that run it.
jest.setTimeout(60_000);

const square = (fill: string, size: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="${fill}"/></svg>`;

describe('encodeFramesToMp4', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-encode-spec-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('makes an H.264 MP4 of the frames at the rate and size asked, whatever size each frame had', async () => {
    const frames = await Promise.all([square('#cc2222', 64), square('#22cc22', 80), square('#2222cc', 64), square('#cccc22', 64)].map((svg) => renderSvg(svg)));
    const mp4 = await encodeFramesToMp4(frames, { fps: 2, width: 65, height: 49 });
    const file = path.join(dir, 'clip.mp4');
    await writeFile(file, mp4);
    const probe = await new VideoCodec().probe(file);
    expect(probe.container).toContain('mp4');
    expect([probe.width, probe.height]).toEqual([64, 48]);
    // Four frames at 2 a second.
    expect(probe.duration).toBeCloseTo(2, 1);
    let decoded = 0;
    for await (const frame of new VideoCodec().frames(file, { fps: 2 })) if (frame.width === 64) decoded++;
    expect(decoded).toBe(4);
  });

  it('refuses bytes that are no picture, with a media error and ffmpeg\'s reason', async () => {
    await expect(encodeFramesToMp4([Buffer.from('not a picture at all')], { fps: 1, width: 32, height: 32 })).rejects.toBeInstanceOf(MediaError);
    await expect(encodeFramesToMp4([], { fps: 1, width: 32, height: 32 })).rejects.toMatchObject({ code: 'media.no_frames' });
  });
});
