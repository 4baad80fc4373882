import { NSFW_INPUT_SIZE } from '../nsfw-model';
import type { FloatTensor } from './onnx-model';

/*
 * The pixels a model that reads an image is given: the frames Loupe already
 * stores as each item's model input (224 × 224, RGB, 8 bits, row-major:
 * EXIF orientation applied, alpha flattened on white, stretched to the square
 * with lanczos3; a video has several frames back to back). They reach the
 * model as float32 in [0, 1] (the byte / 255), in the channel order the
 * graph's input declares. Nothing else is done to them: a model that wants
 * its mean subtracted or another range does that in its own graph, so that
 * the file says everything about how it reads an image.
 */

/** Where the channel axis is: [N, 224, 224, 3] (TensorFlow's habit) or [N, 3, 224, 224] (PyTorch's). */
export type PixelLayout = 'nhwc' | 'nchw';
export const PIXEL_LAYOUTS: readonly PixelLayout[] = ['nhwc', 'nchw'];

/** The dimensions after the batch, per layout. */
export const PIXEL_SHAPES: Readonly<Record<PixelLayout, readonly number[]>> = {
  nhwc: [NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, 3],
  nchw: [3, NSFW_INPUT_SIZE, NSFW_INPUT_SIZE],
};

/** Bytes of one stored frame: 224 × 224 × 3. */
export const PIXEL_FRAME_BYTES = NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3;

/** The layout a graph's input dimensions declare (the batch first, any name), or null when they fit neither. */
export function pixelLayoutOf(dims: readonly (number | string | null)[] | null): PixelLayout | null {
  if (!dims || dims.length !== 4) return null;
  const rest = dims.slice(1);
  return PIXEL_LAYOUTS.find((layout) => PIXEL_SHAPES[layout].every((d, i) => rest[i] === d)) ?? null;
}

export function isPixelLayout(value: unknown): value is PixelLayout {
  return (PIXEL_LAYOUTS as readonly unknown[]).includes(value);
}

/** Stored frames (each 224 × 224 RGB bytes) as the float tensor a graph of that layout reads. Throws on a frame of another size. */
export function pixelsToTensor(frames: readonly Uint8Array[], layout: PixelLayout): FloatTensor {
  const plane = NSFW_INPUT_SIZE * NSFW_INPUT_SIZE;
  const data = new Float32Array(frames.length * PIXEL_FRAME_BYTES);
  frames.forEach((frame, n) => {
    if (frame.length !== PIXEL_FRAME_BYTES) throw new Error(`Frame ${n}: expected ${NSFW_INPUT_SIZE}x${NSFW_INPUT_SIZE} RGB (${PIXEL_FRAME_BYTES} bytes), got ${frame.length}`);
    const base = n * PIXEL_FRAME_BYTES;
    if (layout === 'nhwc') {
      for (let i = 0; i < PIXEL_FRAME_BYTES; i++) data[base + i] = frame[i] / 255;
      return;
    }
    for (let p = 0; p < plane; p++) {
      data[base + p] = frame[p * 3] / 255;
      data[base + plane + p] = frame[p * 3 + 1] / 255;
      data[base + 2 * plane + p] = frame[p * 3 + 2] / 255;
    }
  });
  return { data, dims: [frames.length, ...PIXEL_SHAPES[layout]] };
}
