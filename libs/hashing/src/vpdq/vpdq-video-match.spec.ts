import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VideoCodec } from '@loupe/media';
import { cutVideoClip, renderLavfiVideo } from '@loupe/media/testing';
import type { VpdqFeature } from './vpdq-feature';
import { VpdqHasher } from './vpdq-hasher';
import { matchVpdq } from './vpdq-matcher';

/*
 * vPDQ on real decodes: videos rendered here from lavfi sources, hashed at
 * 2 frames per second, then matched as a moderation lookup would.
 */

jest.setTimeout(120_000);

const codec = new VideoCodec();
const hasher = new VpdqHasher();
let dir: string;
const file = (name: string) => path.join(dir, name);
const hashes = new Map<string, VpdqFeature[]>();

// 4 s of test pattern, then 4 s of a Mandelbrot zoom: two scenes that look nothing alike.
const TWO_SCENES =
  'testsrc2=size=320x240:rate=25:duration=4[a];' +
  'mandelbrot=size=320x240:rate=25,trim=duration=4,setpts=PTS-STARTPTS[b];' +
  '[a][b]concat=n=2:v=1:a=0[out0]';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-vpdq-match-'));
  await Promise.all([
    renderLavfiVideo(file('target.mp4'), { source: TWO_SCENES, duration: 8, codec: 'h264' }),
    renderLavfiVideo(file('unrelated.webm'), { source: 'life=size=320x240:rate=25:seed=7:ratio=0.4:mold=8', duration: 6, codec: 'vp9' }),
  ]);
  // A re-encoded excerpt from inside the first scene. It starts at frame 24, on the 2 fps
  // sampling grid (every 12th frame): testsrc2 moves so fast that frames one apart are
  // ~30 bits apart, and sampling by frame count, as the reference does, has a phase.
  await cutVideoClip(file('target.mp4'), file('clip.mp4'), { start: 0.96, duration: 2 });
  for (const name of ['target.mp4', 'unrelated.webm', 'clip.mp4']) {
    hashes.set(name, await hasher.hashFrames(codec.frames(file(name), { fps: 2 })));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('vPDQ matching of decoded videos', () => {
  it('hashes at the requested rate, with usable qualities', () => {
    const target = hashes.get('target.mp4')!;
    expect(target.map((f) => f.frameNumber)).toEqual(Array.from({ length: 17 }, (_, i) => i * 12));
    expect(target.filter((f) => f.quality >= 50).length).toBeGreaterThanOrEqual(14);
  });

  it('matches a video against itself, 100 % both ways', () => {
    const target = hashes.get('target.mp4')!;
    expect(matchVpdq(target, target)).toMatchObject({ isMatch: true, queryMatchPercent: 100, comparedMatchPercent: 100 });
  });

  it('finds a clip in the full video: all of the clip, part of the video', () => {
    const result = matchVpdq(hashes.get('clip.mp4')!, hashes.get('target.mp4')!);
    expect(result.queryMatchPercent).toBe(100);
    expect(result.comparedMatchPercent).toBeGreaterThan(0);
    // The Mandelbrot half of the video has nothing in the clip.
    expect(result.comparedMatchPercent).toBeLessThanOrEqual(60);
    expect(result.isMatch).toBe(true);
    // Asked the other way round, most of the video is missing from the clip.
    expect(matchVpdq(hashes.get('target.mp4')!, hashes.get('clip.mp4')!)).toMatchObject({ isMatch: false, comparedMatchPercent: 100 });
  });

  it('does not match an unrelated video', () => {
    const result = matchVpdq(hashes.get('unrelated.webm')!, hashes.get('target.mp4')!);
    expect(result.isMatch).toBe(false);
    expect(result.queryMatchPercent).toBeLessThan(20);
    expect(result.comparedMatchPercent).toBeLessThan(20);
    expect(matchVpdq(hashes.get('clip.mp4')!, hashes.get('unrelated.webm')!).isMatch).toBe(false);
  });
});
