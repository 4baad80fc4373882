import { BLUR_SIGMA_PER_LONGER_SIDE, MAX_BLUR_SIGMA, MIN_BLUR_SIGMA, previewBlurSigma } from './preview-blur';

describe('previewBlurSigma', () => {
  it('is 0 at level 0, whatever the size', () => {
    expect(previewBlurSigma(0, 720, 480)).toBe(0);
    expect(previewBlurSigma(0, 16, 16)).toBe(0);
  });

  it('is a fixed share of the longer side: 2.5% at 50, 5% at 100', () => {
    expect(previewBlurSigma(50, 720, 480)).toBeCloseTo(18, 10);
    expect(previewBlurSigma(100, 720, 480)).toBeCloseTo(36, 10);
    expect(previewBlurSigma(100, 480, 720)).toBeCloseTo(36, 10);
    expect(previewBlurSigma(100, 1000, 10)).toBeCloseTo(1000 * BLUR_SIGMA_PER_LONGER_SIDE, 10);
  });

  it('scales with the output so the same level looks the same at any size', () => {
    const small = previewBlurSigma(50, 180, 120);
    const large = previewBlurSigma(50, 1440, 960);
    expect(large / small).toBeCloseTo(8, 10);
  });

  it('grows with the level', () => {
    let previous = -1;
    for (let blur = 0; blur <= 100; blur += 5) {
      const sigma = previewBlurSigma(blur, 720, 540);
      expect(sigma).toBeGreaterThan(previous);
      previous = sigma;
    }
  });

  it("stays within libvips' accepted range", () => {
    expect(previewBlurSigma(1, 20, 20)).toBe(MIN_BLUR_SIGMA);
    expect(previewBlurSigma(100, 16_383, 16_383)).toBeLessThanOrEqual(MAX_BLUR_SIGMA);
  });

  it('rejects levels outside 0..100 and empty sizes', () => {
    for (const blur of [-1, 100.5, Number.NaN, Infinity]) expect(() => previewBlurSigma(blur, 100, 100)).toThrow(RangeError);
    expect(() => previewBlurSigma(50, 0, 100)).toThrow(RangeError);
  });
});
