import sharp, { type Metadata } from 'sharp';
import { MediaError } from '../media.error';
import type { VideoFrame } from '../video/video.types';
import { RawRgbImage, toRawRgb } from './raw-rgb';

/*
 * Animated GIF and WebP, read through sharp's `page`/`pages`. sharp reads the
 * first frame only unless told otherwise, so an animation whose later frames
 * differ was judged on its cover. These helpers let it be treated as a
 * video: every frame decoded, some sampled by time for vPDQ, a few classified.
 */

/** Frame count and timing of an animated image, from the frames libvips finds (not a declared total). */
export interface AnimationProbe {
  width: number;
  /** The height of one frame. */
  height: number;
  frames: number;
  /** How long each frame is shown, in ms, with browsers' floor for tiny delays applied. */
  delaysMs: number[];
  durationSeconds: number;
}

/**
 * A frame of an animation, shaped as a video's (index and frame number are
 * the animation's 0-based frame; timestamp is when it is first shown; rgb has
 * alpha flattened on white), so that it takes the video path.
 */
export interface AnimationFrame extends VideoFrame {
  /** Whether the vPDQ sampling at the requested fps picks it (a frame on screen at one of its instants). */
  sampled: boolean;
}

// Browsers show a GIF frame of 0 or 10 ms for 100 ms; the animation's real pace, and a
// 0-delay GIF would otherwise have no duration to limit.
const MIN_DELAY_MS = 20;
const SHORT_DELAY_AS_MS = 100;
// Frames decoded per sharp call: each call decodes its pages into one tall image, so its
// memory is bounded by this many pixels (about 100 MB as RGBA).
const CHUNK_PIXELS = 24_000_000;

function effectiveDelay(ms: number | undefined): number {
  return ms === undefined || ms < MIN_DELAY_MS ? SHORT_DELAY_AS_MS : ms;
}

/** Reads the frame structure; null for a still image (one frame, or a format without animation). */
export async function probeAnimation(input: Buffer | string): Promise<AnimationProbe | null> {
  return animationOf(await sharp(input, { limitInputPixels: false }).metadata());
}

/** The frame structure in a header sharp has read; null for a still image. */
export function animationOf(metadata: Metadata): AnimationProbe | null {
  const frames = metadata.pages ?? 1;
  if (frames <= 1 || !metadata.width || !metadata.height) return null;
  const height = metadata.pageHeight ?? metadata.height;
  const delaysMs = Array.from({ length: frames }, (_, i) => effectiveDelay(metadata.delay?.[i]));
  const durationSeconds = delaysMs.reduce((sum, d) => sum + d, 0) / 1000;
  return { width: metadata.width, height, frames, delaysMs, durationSeconds };
}

/**
 * Which frames vPDQ sampling at `fps` picks: the frame on screen at each
 * instant k / fps, each frame once however long it shows. 0: every frame.
 */
export function sampledAnimationFrames(delaysMs: readonly number[], fps: number): boolean[] {
  if (fps === 0) return delaysMs.map(() => true);
  const picked = delaysMs.map(() => false);
  const stepMs = 1000 / fps;
  let start = 0;
  let instant = 0;
  for (let i = 0; i < delaysMs.length; i++) {
    const end = start + delaysMs[i];
    if (instant < end) {
      picked[i] = true;
      instant += Math.ceil((end - instant) / stepMs) * stepMs;
    }
    start = end;
  }
  return picked;
}

/**
 * Decodes every frame in order, a chunk of pages per sharp call, and yields
 * them with their timing and whether `fps` samples them. Decoding is full
 * (failOn 'warning'), as for a still image.
 */
export async function* decodeAnimationFrames(
  input: Buffer | string,
  probe: AnimationProbe,
  fps: number,
  { chunkPixels = CHUNK_PIXELS }: { chunkPixels?: number } = {},
): AsyncGenerator<AnimationFrame> {
  const sampled = sampledAnimationFrames(probe.delaysMs, fps);
  const framePixels = probe.width * probe.height;
  const perChunk = Math.max(1, Math.floor(chunkPixels / framePixels));
  const frameBytes = framePixels * 3;
  let startMs = 0;
  for (let first = 0; first < probe.frames; first += perChunk) {
    const count = Math.min(perChunk, probe.frames - first);
    let chunk: Buffer;
    try {
      const decoded = await toRawRgb(
        sharp(input, { failOn: 'warning', limitInputPixels: false, page: first, pages: count })
          .flatten({ background: { r: 255, g: 255, b: 255 } })
          .toColourspace('srgb'),
      );
      chunk = decoded.data;
    } catch (error) {
      throw animationError(error);
    }
    if (chunk.length !== frameBytes * count) throw new MediaError('media.corrupt', 'Animated image frames are not all the same size');
    for (let i = 0; i < count; i++) {
      const index = first + i;
      const rgb = Buffer.from(chunk.subarray(i * frameBytes, (i + 1) * frameBytes));
      yield { index, frameNumber: index, timestamp: startMs / 1000, width: probe.width, height: probe.height, rgb, sampled: sampled[index] };
      startMs += probe.delaysMs[index];
    }
  }
}

/** One frame of an animation, composed as a player shows it, scaled to `size` (a preview tile). */
export async function decodeAnimationPage(input: Buffer | string, page: number, size: { width: number; height: number }): Promise<RawRgbImage> {
  try {
    return await toRawRgb(
      sharp(input, { failOn: 'warning', limitInputPixels: false, page, pages: 1 })
        .flatten({ background: { r: 255, g: 255, b: 255 } })
        .resize(size.width, size.height, { fit: 'fill' })
        .toColourspace('srgb'),
    );
  } catch (error) {
    throw animationError(error);
  }
}

function animationError(error: unknown): MediaError {
  const message = error instanceof Error ? error.message : String(error);
  if (/premature end|truncated|unexpected end/i.test(message)) return new MediaError('media.truncated', `Animated image is truncated: ${message}`);
  return new MediaError('media.corrupt', `Animated image cannot be decoded: ${message}`);
}
