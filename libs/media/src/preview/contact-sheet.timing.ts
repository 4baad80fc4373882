/*
 * Which frames a contact sheet shows. VideoCodec.frames can only keep every
 * K-th decoded frame from the start (no seeking), so the plan asks for a grid
 * of sampled frames about twice as dense as the wanted times and then picks
 * the nearest sampled frame for each time. That bounds the frames converted
 * and piped to about 2 per tile, whatever the video's length.
 */

/**
 * `count` times spread evenly over `[0, duration]`: the middle of each of
 * `count` equal slices, so neither the very first instant (often black or a
 * title card) nor the very last (often a fade) is taken.
 */
export function spreadFrameTimes(duration: number, count: number): number[] {
  if (!(Number.isFinite(duration) && duration > 0)) throw new RangeError(`duration must be positive, got ${duration}`);
  if (!(Number.isInteger(count) && count > 0)) throw new RangeError(`count must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => ((i + 0.5) * duration) / count);
}

export interface SpreadSamplingInput {
  duration: number;
  frameRate: number;
  /** Frames the container declares, when it does. */
  frameCount: number | null;
  /** Tiles wanted. */
  frames: number;
}

export interface SpreadSamplingPlan {
  /** Tiles expected: `frames`, or fewer when the video has fewer frames. */
  count: number;
  /** Seconds each tile should show. */
  targets: number[];
  /** Keep every `interval`-th decoded frame. */
  interval: number;
  /** The fps to ask VideoCodec.frames for, giving exactly `interval`. */
  fps: number;
  /** Enough sampled frames to pass the last target, so the decode can stop early. */
  maxFrames: number;
}

export function planSpreadSampling(input: SpreadSamplingInput): SpreadSamplingPlan {
  const { duration, frameRate, frames } = input;
  if (!(Number.isFinite(frameRate) && frameRate > 0)) throw new RangeError(`frameRate must be positive, got ${frameRate}`);
  if (!(Number.isInteger(frames) && frames > 0)) throw new RangeError(`frames must be a positive integer, got ${frames}`);
  const available = Math.max(1, input.frameCount ?? Math.floor(duration * frameRate));
  const count = Math.min(frames, available);
  const targets = spreadFrameTimes(duration, count);
  // Half the spacing between targets: each target then has a sampled frame within a quarter of that spacing.
  const interval = Math.max(1, Math.floor((duration * frameRate) / count / 2));
  const lastTargetFrame = targets[count - 1] * frameRate;
  return { count, targets, interval, fps: frameRate / interval, maxFrames: Math.floor(lastTargetFrame / interval) + 2 };
}

/**
 * For each target time, the index of the nearest candidate, all distinct and
 * increasing. `timestamps` must be ascending. With fewer candidates than
 * targets every candidate is used once (a short video shows what it has).
 */
export function pickNearestFrames(timestamps: readonly number[], targets: readonly number[]): number[] {
  if (timestamps.length <= targets.length) return timestamps.map((_, i) => i);
  const picks: number[] = [];
  let from = 0;
  targets.forEach((target, j) => {
    // Leave one candidate for each later target so none of them goes without a frame.
    const to = timestamps.length - (targets.length - j);
    let best = from;
    for (let i = from + 1; i <= to; i++) {
      if (Math.abs(timestamps[i] - target) < Math.abs(timestamps[best] - target)) best = i;
      else if (timestamps[i] > target) break;
    }
    picks.push(best);
    from = best + 1;
  });
  return picks;
}
