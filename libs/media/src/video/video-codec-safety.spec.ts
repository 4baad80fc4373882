import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MediaError } from '../media.error';
import { renderLavfiVideo } from '../testing/lavfi-fixture';
import { VideoCodec } from './video-codec';
import type { VideoFrame, VideoFrameOptions } from './video.types';

/*
 * What must not get through: broken and non-video files, URLs and playlists,
 * runaway or orphaned ffmpeg processes.
 */

jest.setTimeout(60_000);

const codec = new VideoCodec();
let dir: string;
const file = (name: string) => path.join(dir, name);

async function collect(videoPath: string, options: VideoFrameOptions = {}): Promise<VideoFrame[]> {
  const frames: VideoFrame[] = [];
  for await (const frame of codec.frames(videoPath, options)) frames.push(frame);
  return frames;
}

/** Live (not zombie) ffmpeg processes whose command line mentions `needle`; Linux /proc. */
function ffmpegProcessesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (path.basename(argv[0]) === 'ffmpeg' && argv.some((a) => a.includes(needle))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
const describeProc = existsSync('/proc/self/cmdline') ? describe : describe.skip;

async function expectMediaError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  expect((error as MediaError).code).toBe(code);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-video-safety-'));
  await Promise.all([
    renderLavfiVideo(file('plain.mp4'), { source: 'testsrc2=size=320x240:rate=25', duration: 4, codec: 'h264' }),
    renderLavfiVideo(file('live.webm'), { source: 'testsrc2=size=320x240:rate=25', duration: 4, codec: 'vp9', live: true }),
    renderLavfiVideo(file('sound.mp4'), { source: 'testsrc2=size=32x32:rate=1', duration: 1, codec: 'h264' }),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('refusing bad files', () => {
  it('a cut MP4 (index at the end) is media.truncated', async () => {
    const { size } = await stat(file('plain.mp4'));
    await copyFile(file('plain.mp4'), file('cut.mp4'));
    await truncate(file('cut.mp4'), Math.floor(size / 2));
    await expectMediaError(codec.probe(file('cut.mp4')), 'media.truncated');
    await expectMediaError(collect(file('cut.mp4')), 'media.truncated');
  });

  it('a cut WebM streamed without sizes is media.truncated once decoding hits the end', async () => {
    const bytes = await readFile(file('live.webm'));
    await writeFile(file('cut-live.webm'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(codec.probe(file('cut-live.webm'))).resolves.toMatchObject({ codec: 'vp9' });
    let emitted = 0;
    const error = await (async () => {
      for await (const frame of codec.frames(file('cut-live.webm'), { fps: 0 })) emitted += frame ? 1 : 0;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toBe('media.truncated');
    expect(emitted).toBeGreaterThan(0); // the decodable part came first
    expect(emitted).toBeLessThan(100);
  });

  it('damaged video data is media.corrupt, or tolerated on request', async () => {
    const bytes = Buffer.from(await readFile(file('plain.mp4')));
    // Overwrite a stretch in the middle of the media data: the container stays intact.
    const mdat = bytes.indexOf('mdat', 0, 'latin1');
    const start = mdat + Math.floor((bytes.length - mdat) / 3);
    for (let i = start; i < start + 4000; i++) bytes[i] = (i * 7919) & 0xff;
    await writeFile(file('damaged.mp4'), bytes);
    await expectMediaError(collect(file('damaged.mp4'), { fps: 0 }), 'media.corrupt');
    const frames = await collect(file('damaged.mp4'), { fps: 0, tolerateDecodeErrors: true });
    expect(frames.length).toBeGreaterThan(50);
  });

  it('a text file named .mp4, a PNG and random bytes are media.unsupported_type', async () => {
    await writeFile(file('text.mp4'), 'this is not a video\n');
    await writeFile(file('image.mp4'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    await writeFile(file('random.mkv'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)));
    for (const name of ['text.mp4', 'image.mp4', 'random.mkv']) {
      await expectMediaError(codec.probe(file(name)), 'media.unsupported_type');
      await expectMediaError(collect(file(name)), 'media.unsupported_type');
    }
  });

  it('an audio-only MP4 is media.no_video_stream', async () => {
    // Re-use a valid container and drop its video by asking ffmpeg for an audio-only file.
    const { default: ffmpeg } = await import('fluent-ffmpeg');
    await new Promise<void>((resolve, reject) =>
      ffmpeg()
        .input('sine=duration=1')
        .inputOptions(['-f', 'lavfi'])
        .outputOptions(['-c:a', 'aac'])
        .output(file('audio.mp4'))
        .on('end', () => resolve())
        .on('error', reject)
        .run(),
    );
    await expectMediaError(codec.probe(file('audio.mp4')), 'media.no_video_stream');
  });

  it('empty, missing and directory paths are refused', async () => {
    await writeFile(file('empty.mp4'), '');
    await expectMediaError(codec.probe(file('empty.mp4')), 'media.truncated');
    await expectMediaError(codec.probe(file('missing.mp4')), 'media.not_found');
    await mkdir(file('folder.mp4'));
    await expectMediaError(codec.probe(file('folder.mp4')), 'media.invalid_path');
  });
});

describe('local files only', () => {
  it.each([
    'concat:/tmp/a.mp4|/tmp/b.mp4',
    'http://127.0.0.1:9/video.mp4',
    'https://example.com/video.mp4',
    'file:/etc/passwd',
    'subfile,,start,0,end,0,,:/tmp/a.mp4',
    'data:video/mp4;base64,AAAA',
    'pipe:0',
  ])('refuses %s before running anything', async (name) => {
    await expectMediaError(codec.probe(name), 'media.invalid_path');
    await expectMediaError(collect(name), 'media.invalid_path');
  });

  it('reads a relative path as a local file, never as a URL', async () => {
    await copyFile(file('sound.mp4'), file('concat:x.mp4'));
    const relative = path.relative(process.cwd(), file('concat:x.mp4'));
    await expect(codec.probe(relative.startsWith('.') ? relative : `./${relative}`)).resolves.toMatchObject({ codec: 'h264' });
  });

  it('refuses playlists and file lists that would make ffmpeg open other files', async () => {
    await writeFile(file('list.mp4'), `ffconcat version 1.0\nfile '${file('plain.mp4')}'\n`);
    await writeFile(file('playlist.mp4'), `#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nhttp://127.0.0.1:9/a.ts\n#EXT-X-ENDLIST\n`);
    await expectMediaError(codec.probe(file('list.mp4')), 'media.unsupported_type');
    await expectMediaError(codec.probe(file('playlist.mp4')), 'media.unsupported_type');
  });
});

describeProc('the ffmpeg process', () => {
  it('is running while frames are consumed and gone after an early break', async () => {
    await copyFile(file('plain.mp4'), file('break-early.mp4'));
    let seenRunning: number[] = [];
    for await (const frame of codec.frames(file('break-early.mp4'), { fps: 0 })) {
      seenRunning = ffmpegProcessesWith('break-early.mp4');
      if (frame.index === 2) break;
    }
    expect(seenRunning).toHaveLength(1);
    expect(ffmpegProcessesWith('break-early.mp4')).toEqual([]);
  });

  it('is gone when the consumer throws', async () => {
    await copyFile(file('plain.mp4'), file('consumer-throws.mp4'));
    const run = async () => {
      for await (const frame of codec.frames(file('consumer-throws.mp4'), { fps: 0 })) {
        if (frame.index === 1) throw new Error('consumer failed');
      }
    };
    await expect(run()).rejects.toThrow('consumer failed');
    expect(ffmpegProcessesWith('consumer-throws.mp4')).toEqual([]);
  });

  it('is killed at the timeout, which fails the iteration with media.timeout', async () => {
    await copyFile(file('plain.mp4'), file('slow-consumer.mp4'));
    let emitted = 0;
    // The file has 100 frames and the consumer takes 100 ms over each, so a
    // run that ends before all of them was ended by the timeout. On a loaded
    // machine ffmpeg may not deliver any frame within the timeout at all.
    const run = async () => {
      for await (const frame of codec.frames(file('slow-consumer.mp4'), { fps: 0, timeoutMs: 2_000 })) {
        emitted += frame ? 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await expectMediaError(run(), 'media.timeout');
    expect(emitted).toBeLessThan(100);
    expect(ffmpegProcessesWith('slow-consumer.mp4')).toEqual([]);
  });

  it('leaves no process and no temporary file behind after a full run', async () => {
    await copyFile(file('plain.mp4'), file('full-run.mp4'));
    const before = readdirSync(dir).sort();
    expect(await collect(file('full-run.mp4'), { fps: 0 })).toHaveLength(100);
    expect(ffmpegProcessesWith('full-run.mp4')).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
