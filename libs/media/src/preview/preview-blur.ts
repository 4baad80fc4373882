/*
 * How strong the softening blur is. The sigma is a fraction of the output's
 * longer side, so a level looks the same on a 200 px tile and a 1440 px
 * preview: what survives is a fixed share of the picture, not a fixed number
 * of pixels.
 *
 * Calibration (k = 0.05, i.e. sigma = 5% of the longer side at level 100),
 * checked on a synthetic scene with faces and text at 720 px:
 * - level 25 (sigma ~1.25%, 9 px): the largest text is still guessable, eyes and mouth visible.
 * - level 50 (sigma 2.5%, 18 px): no text of any size is readable, and faces lose
 *   their features (eyes are faint smudges); the layout of the scene (where people,
 *   sky and ground are) stays obvious, which is what a reviewer needs to decide
 *   whether to reveal the original.
 * - level 100 (sigma 5%, 36 px): the Gaussian's 3-sigma reach is 15% of the frame
 *   on each side, so anything smaller than about a third of the picture merges
 *   into colour blobs.
 * Larger k made level 50 blob-like already; smaller k left large text readable at 50.
 */
export const BLUR_SIGMA_PER_LONGER_SIDE = 0.05;

// libvips refuses a Gaussian sigma outside 0.3..1000.
export const MIN_BLUR_SIGMA = 0.3;
export const MAX_BLUR_SIGMA = 1000;

/**
 * Gaussian sigma in output pixels for `blur` (0..100) on an output of
 * `width` x `height`; 0 means no blur. Non-decreasing in `blur`, and
 * proportional to the longer side (up to libvips' bounds).
 */
export function previewBlurSigma(blur: number, width: number, height: number): number {
  if (!(Number.isFinite(blur) && blur >= 0 && blur <= 100)) throw new RangeError(`blur must be between 0 and 100, got ${blur}`);
  if (!(width > 0 && height > 0)) throw new RangeError(`size must be positive, got ${width}x${height}`);
  if (blur === 0) return 0;
  const sigma = (blur / 100) * Math.max(width, height) * BLUR_SIGMA_PER_LONGER_SIDE;
  // Below libvips' minimum a blur would be invisible anyway; the floor keeps any level above 0 doing something.
  return Math.min(MAX_BLUR_SIGMA, Math.max(MIN_BLUR_SIGMA, sigma));
}
