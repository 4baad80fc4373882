import { PdqHasher } from '../pdq/pdq-hasher';
import type { VpdqFrameInput } from './vpdq-feature';
import { VpdqHasher } from './vpdq-hasher';

function texturedFrame(width: number, height: number, seed: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      // Blocks and stripes: enough gradient energy for a quality >= 50.
      const block = (((x >> 3) + (y >> 3) + seed) & 1) * 160;
      rgb[i] = block + (x * 90) / width;
      rgb[i + 1] = (Math.sin((x + seed * 7) / 3) * 0.5 + 0.5) * 255;
      rgb[i + 2] = (y * 255) / height;
    }
  }
  return rgb;
}

const frames: VpdqFrameInput[] = [0, 1, 2].map((n) => ({ frameNumber: n * 30, timestamp: n, width: 96, height: 64, rgb: texturedFrame(96, 64, n) }));

describe('VpdqHasher', () => {
  it('hashes the full frame with PDQ and keeps frame number and timestamp', () => {
    const feature = new VpdqHasher().hashFrame(frames[1]);
    const pdq = new PdqHasher().hash(frames[1].rgb, 96, 64);
    expect(feature).toEqual({ frameNumber: 30, timestamp: 1, quality: pdq.quality, pdq: pdq.hash });
    expect(feature.quality).toBeGreaterThanOrEqual(50);
  });

  it('takes index when there is no frameNumber', () => {
    const { frameNumber: _, ...rest } = frames[2];
    expect(new VpdqHasher().hashFrame({ ...rest, index: 4 }).frameNumber).toBe(4);
    expect(() => new VpdqHasher().hashFrame(rest)).toThrow(RangeError);
  });

  it('hashes an async stream in frame-number order', async () => {
    async function* shuffled() {
      yield frames[2];
      yield frames[0];
      yield frames[1];
    }
    const features = await new VpdqHasher().hashFrames(shuffled());
    expect(features.map((f) => f.frameNumber)).toEqual([0, 30, 60]);
    const direct = new VpdqHasher();
    expect(features).toEqual(frames.map((f) => direct.hashFrame(f)));
  });

  it('gives degenerate frames the zero hash with quality 0 instead of failing the video', () => {
    const tiny = new VpdqHasher().hashFrame({ frameNumber: 0, timestamp: 0, width: 4, height: 4, rgb: new Uint8Array(48) });
    expect(tiny).toMatchObject({ quality: 0, pdq: '0'.repeat(64) });
  });
});
