import { PIXEL_FRAME_BYTES, pixelLayoutOf, pixelsToTensor } from './pixel-input';

/** A frame whose every sample says where it is: pixel p has R = p mod 251, G = (p + 80) mod 251, B = (p + 160) mod 251. */
function frame(shift = 0): Uint8Array {
  const rgb = new Uint8Array(PIXEL_FRAME_BYTES);
  for (let p = 0; p < PIXEL_FRAME_BYTES / 3; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = (p + shift + 80 * c) % 251;
  return rgb;
}

describe('pixelLayoutOf', () => {
  it('reads the layout from the dimensions after the batch, whatever the batch is called', () => {
    expect(pixelLayoutOf(['N', 224, 224, 3])).toBe('nhwc');
    expect(pixelLayoutOf([null, 3, 224, 224])).toBe('nchw');
    expect(pixelLayoutOf(['batch_size', 3, 224, 224])).toBe('nchw');
  });

  it('names no layout for other sizes, ranks or symbolic sides', () => {
    for (const dims of [['N', 3, 100, 100], ['N', 224, 224], ['N', 224, 224, 4], ['N', 3, 'H', 'W'], ['N', 1, 224, 224], null]) {
      expect(pixelLayoutOf(dims as (number | string | null)[] | null)).toBeNull();
    }
  });
});

describe('pixelsToTensor', () => {
  const frames = [frame(0), frame(7)];
  const plane = 224 * 224;

  it('gives NHWC as stored, each byte / 255', () => {
    const { data, dims } = pixelsToTensor(frames, 'nhwc');
    expect(dims).toEqual([2, 224, 224, 3]);
    expect(data).toBeInstanceOf(Float32Array);
    expect(data.length).toBe(2 * PIXEL_FRAME_BYTES);
    for (const i of [0, 1, 2, 3, 1000, PIXEL_FRAME_BYTES - 1]) {
      expect(data[i]).toBeCloseTo(frames[0][i] / 255, 6);
      expect(data[PIXEL_FRAME_BYTES + i]).toBeCloseTo(frames[1][i] / 255, 6);
    }
  });

  it('gives NCHW as three planes per frame: all red, then all green, then all blue', () => {
    const { data, dims } = pixelsToTensor(frames, 'nchw');
    expect(dims).toEqual([2, 3, 224, 224]);
    for (const [n, f] of frames.entries()) {
      for (const p of [0, 1, 223, 224, 5000, plane - 1]) {
        for (let c = 0; c < 3; c++) expect(data[n * PIXEL_FRAME_BYTES + c * plane + p]).toBeCloseTo(f[p * 3 + c] / 255, 6);
      }
    }
  });

  it('keeps every value in [0, 1], black at 0 and white at 1', () => {
    const black = new Uint8Array(PIXEL_FRAME_BYTES);
    const white = new Uint8Array(PIXEL_FRAME_BYTES).fill(255);
    for (const layout of ['nhwc', 'nchw'] as const) {
      const { data } = pixelsToTensor([black, white], layout);
      expect(data.subarray(0, PIXEL_FRAME_BYTES).every((v) => v === 0)).toBe(true);
      expect(data.subarray(PIXEL_FRAME_BYTES).every((v) => v === 1)).toBe(true);
    }
  });

  it('refuses a frame of another size', () => {
    expect(() => pixelsToTensor([frame(), new Uint8Array(100 * 100 * 3)], 'nchw')).toThrow(/Frame 1: expected 224x224 RGB/);
  });
});
