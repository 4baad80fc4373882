import { AnimationProbe, frameSamplingInterval, MediaError, sampledAnimationFrames, VideoProbe } from '@loupe/media';

/** What the header promises: the frames `fps` selects from the declared frame count or duration; null when it declares neither. */
function expectedFrames(probe: VideoProbe, fps: number): number | null {
  const decoded = probe.frameCount ?? (probe.duration !== null ? Math.round(probe.duration * probe.frameRate) : null);
  return decoded === null ? null : Math.ceil(decoded / frameSamplingInterval(probe.frameRate, fps));
}

function frameLimitError(limit: number, fps: number, expected: number | null): MediaError {
  const about = expected !== null ? `; this video has about ${expected} at fps=${fps}` : ` at fps=${fps}`;
  return new MediaError(
    'media.too_many_frames',
    `Hashing in one request is limited to ${limit} frames${about}. Ask for fewer frames per second (fps), or ingest the video through POST /v1/contents`,
    { maxFrames: limit, fps, ...(expected !== null ? { expectedFrames: expected } : {}) },
  );
}

export function checkFrameLimit(probe: VideoProbe, fps: number, limit: number): void {
  const expected = expectedFrames(probe, fps);
  if (expected !== null && expected > limit) throw frameLimitError(limit, fps, expected);
}

/** The decoder's own too_many_frames, for a header that under-declared, told in the same words as the header check. */
export async function* withFrameLimitMessage<T>(frames: AsyncIterable<T>, fps: number, limit: number | undefined): AsyncGenerator<T> {
  try {
    yield* frames;
  } catch (error) {
    if (limit !== undefined && error instanceof MediaError && error.code === 'media.too_many_frames' && error.details?.maxFrames === limit) {
      throw frameLimitError(limit, fps, null);
    }
    throw error;
  }
}

/** The frames `fps` samples from an animation, against a synchronous frame limit. */
export function checkAnimationFrameLimit(probe: AnimationProbe, fps: number, limit: number): void {
  const expected = sampledAnimationFrames(probe.delaysMs, fps).filter(Boolean).length;
  if (expected > limit) throw frameLimitError(limit, fps, expected);
}

/**
 * An animated image is held to a video's limits: decoded frames
 * (VIDEO_MAX_FRAMES), duration (VIDEO_MAX_SECONDS) and frame size
 * (VIDEO_MAX_DIMENSION): IMAGE_MAX_PIXELS bounds one frame, not thousands.
 */
export function checkAnimationLimits(
  probe: Pick<AnimationProbe, 'frames' | 'durationSeconds'> & Partial<Pick<AnimationProbe, 'width' | 'height'>>,
  limits: { maxFrames: number; maxSeconds: number; maxDimension: number },
): void {
  const { width = 0, height = 0 } = probe;
  if (width > limits.maxDimension || height > limits.maxDimension) {
    throw new MediaError('media.too_many_pixels', `The animation is ${width}x${height}; the limit is ${limits.maxDimension} per side`, {
      width,
      height,
      maxDimension: limits.maxDimension,
    });
  }
  if (probe.frames > limits.maxFrames) {
    throw new MediaError('media.too_many_frames', `The animation has ${probe.frames} frames; the limit is ${limits.maxFrames}`, {
      frames: probe.frames,
      maxFrames: limits.maxFrames,
    });
  }
  if (probe.durationSeconds > limits.maxSeconds) {
    throw new MediaError('media.too_long', `The animation lasts ${probe.durationSeconds.toFixed(1)} s; the limit is ${limits.maxSeconds} s`, {
      duration: probe.durationSeconds,
      maxSeconds: limits.maxSeconds,
    });
  }
}
