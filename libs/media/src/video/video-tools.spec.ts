import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MediaError } from '../media.error';
import { renderLavfiVideo } from '../testing/lavfi-fixture';
import { VideoCodec } from './video-codec';
import { VideoTools, VideoUnavailableError } from './video-tools';

jest.setTimeout(60_000);

let dir: string;
let clip: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-tools-'));
  clip = path.join(dir, 'clip.mp4');
  await renderLavfiVideo(clip, { source: 'testsrc2=size=64x48:rate=10', duration: 1, codec: 'h264' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('VideoTools', () => {
  it('finds ffmpeg and ffprobe on PATH', async () => {
    const tools = new VideoTools();
    expect(await tools.check()).toBe('available');
    expect(() => tools.requireAvailable()).not.toThrow();
    expect((await new VideoCodec(tools).probe(clip)).frameRate).toBe(10);
  });

  it.each([
    ['ffmpeg', { ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: 'ffprobe' }],
    ['ffprobe', { ffmpegPath: 'ffmpeg', ffprobePath: '/nonexistent/ffprobe' }],
  ])('reports video as unavailable when %s is missing, and the codec refuses video naming it', async (program, paths) => {
    const tools = new VideoTools(paths);
    expect(await tools.check()).toBe('unavailable');
    const codec = new VideoCodec(tools);
    const refusal = await codec.probe(clip).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(VideoUnavailableError);
    expect(refusal).toBeInstanceOf(MediaError);
    expect(refusal).toMatchObject({ code: 'media.video_unavailable', details: { missing: [program] } });
    expect((refusal as Error).message).toContain(`${program} (/nonexistent/${program}) is not installed`);
    await expect(codec.frames(clip).next()).rejects.toMatchObject({ code: 'media.video_unavailable' });
  });

  it('runs a program that answered once per process, however many applications check it, and asks again after a failure', async () => {
    const calls = path.join(dir, 'calls.log');
    const answers = path.join(dir, 'counting-ffmpeg');
    const fails = path.join(dir, 'failing-ffmpeg');
    await writeFile(answers, `#!/bin/sh\necho "$@" >> '${calls}'\n`);
    await writeFile(fails, `#!/bin/sh\necho failed >> '${calls}'\nexit 1\n`);
    await Promise.all([chmod(answers, 0o755), chmod(fails, 0o755)]);
    try {
      for (let k = 0; k < 3; k++) expect(await new VideoTools({ ffmpegPath: answers, ffprobePath: 'ffprobe' }).check()).toBe('available');
      for (let k = 0; k < 2; k++) expect(await new VideoTools({ ffmpegPath: fails, ffprobePath: 'ffprobe' }).check()).toBe('unavailable');
      expect((await readFile(calls, 'utf8')).trim().split('\n')).toEqual(['-version', 'failed', 'failed']);
    } finally {
      // fluent-ffmpeg keeps the last program it was given, process-wide: give it the real one back.
      await new VideoTools().check();
    }
  });
});
