import sharp from 'sharp';
import { manyFrameGif } from '../testing/animation-fixture';
import { AnimationFrame, decodeAnimationFrames, probeAnimation, sampledAnimationFrames } from './animation';
import { ImageCodec } from './image-codec';

const solid = (r: number, g: number, b: number) => sharp({ create: { width: 32, height: 24, channels: 3, background: { r, g, b } } }).png().toBuffer();

async function twoFrames(format: 'gif' | 'webp'): Promise<Buffer> {
  const frames = [await solid(250, 20, 20), await solid(20, 20, 250)];
  const animated = sharp(frames, { join: { animated: true } });
  return (format === 'gif' ? animated.gif({ delay: [1000, 1000] }) : animated.webp({ delay: [1000, 1000], lossless: true })).toBuffer();
}

async function collect(input: Buffer, fps: number, chunkPixels?: number): Promise<AnimationFrame[]> {
  const probe = await probeAnimation(input);
  const out: AnimationFrame[] = [];
  for await (const frame of decodeAnimationFrames(input, probe!, fps, { chunkPixels })) out.push(frame);
  return out;
}

describe('animated images', () => {
  it.each(['gif', 'webp'] as const)('reads a two-frame %s as an animation, and decodes its second frame too', async (format) => {
    const input = await twoFrames(format);
    expect(await probeAnimation(input)).toEqual({ width: 32, height: 24, frames: 2, delaysMs: [1000, 1000], durationSeconds: 2 });
    const frames = await collect(input, 1);
    expect(frames.map((f) => [f.index, f.timestamp, f.sampled])).toEqual([
      [0, 0, true],
      [1, 1, true],
    ]);
    // Red first, blue second: not the first frame twice.
    expect([...frames[0].rgb.subarray(0, 3)].map((c) => c > 128)).toEqual([true, false, false]);
    expect([...frames[1].rgb.subarray(0, 3)].map((c) => c > 128)).toEqual([false, false, true]);
  });

  it('reads the size and the frames from one header read, as probe and probeAnimation do apart', async () => {
    const codec = new ImageCodec();
    const limits = { maxPixels: 1_000_000, maxDimension: 4096 };
    for (const input of [await twoFrames('gif'), await twoFrames('webp'), await solid(1, 2, 3), manyFrameGif(7)]) {
      expect(await codec.probeWithAnimation(input, limits)).toEqual({ probe: await codec.probe(input, limits), animation: await probeAnimation(input) });
    }
    // Past the limits it refuses as probe does.
    await expect(codec.probeWithAnimation(await twoFrames('gif'), { maxPixels: 100, maxDimension: 4096 })).rejects.toMatchObject({ code: 'media.too_many_pixels' });
  });

  it('treats a still image as no animation', async () => {
    expect(await probeAnimation(await solid(1, 2, 3))).toBeNull();
    expect(await probeAnimation(manyFrameGif(1))).toBeNull();
  });

  it('counts the frames of a 5,000-frame GIF and times them as browsers do (a 0 delay shows for 100 ms)', async () => {
    const probe = await probeAnimation(manyFrameGif(5000, 0));
    expect(probe).toMatchObject({ frames: 5000, durationSeconds: 500 });
    expect(await probeAnimation(manyFrameGif(10, 50))).toMatchObject({ frames: 10, durationSeconds: 5 });
  });

  it('decodes every frame of a long animation, across chunks, in order', async () => {
    const frames = await collect(manyFrameGif(300, 10), 0, 7);
    expect(frames).toHaveLength(300);
    expect(frames.map((f) => f.rgb[0])).toEqual(Array.from({ length: 300 }, (_, i) => (i % 2 ? 255 : 0)));
  });

  it('samples the frame on screen at each 1/fps instant, each frame once', () => {
    expect(sampledAnimationFrames([100, 100, 100], 0)).toEqual([true, true, true]);
    expect(sampledAnimationFrames([100, 100, 100], 1)).toEqual([true, false, false]);
    // Shown at 0 s, at 1 s (from 1.0 to 1.1 s), not at 2 s (1.1 to 1.9 s), at 2, 3 and 4 s.
    expect(sampledAnimationFrames([1000, 100, 800, 3000], 1)).toEqual([true, true, false, true]);
    expect(sampledAnimationFrames(Array(25).fill(100), 1).filter(Boolean)).toHaveLength(3);
  });
});
