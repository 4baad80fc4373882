import { frameSamplingInterval, frameTimestamp } from './frame-sampling';

describe('frameSamplingInterval (the reference frameMod)', () => {
  it.each([
    [30, 1, 30],
    [25, 1, 25],
    [30000 / 1001, 1, 29], // trunc(29.97)
    [25, 2, 12], // trunc(12.5)
    [30, 3, 10], // 1/3 s per hash: no float drift to 9
    [10, 1 / 0.7, 7], // the reference's float32 -r 0.7 would give 6
    [30, 0, 1], // fps 0: every frame
    [30, 60, 1], // faster than the video: every frame
    [0.5, 1, 1], // the reference's "avoid truncating to zero" case
  ])('frameRate %p, fps %p -> every %p frames', (frameRate, fps, expected) => {
    expect(frameSamplingInterval(frameRate, fps)).toBe(expected);
  });

  it('rejects impossible rates', () => {
    expect(() => frameSamplingInterval(0, 1)).toThrow(RangeError);
    expect(() => frameSamplingInterval(30, -1)).toThrow(RangeError);
    expect(() => frameSamplingInterval(30, Number.NaN)).toThrow(RangeError);
  });
});

describe('frameTimestamp', () => {
  it('is frame number over frame rate', () => {
    expect(frameTimestamp(0, 30)).toBe(0);
    expect(frameTimestamp(45, 30)).toBe(1.5);
    expect(frameTimestamp(30, 30000 / 1001)).toBeCloseTo(1.001, 12);
  });
});
