/*
 * How frames are picked for `fps > 0`, matching Meta's reference
 * (`vpdq-hash-video -r <secondsPerHash>`, ThreatExchange
 * vpdq/cpp/vpdq/cpp/hashing/filehasher.cpp and ffmpegwrapper.cpp):
 *
 * - frameRate is the stream's avg_frame_rate, or r_frame_rate when that is 0.
 * - frameMod = (int)(secondsPerHash * frameRate), truncated, and 1 if that is 0
 *   (also what `-r 0` gives: every frame).
 * - The decoder's output frames are numbered 0, 1, 2... (codec frame_number - 1)
 *   and frame n is hashed when n % frameMod == 0. Time plays no part: a
 *   29.97 fps video at 1 frame per second keeps every 29th frame, drifting
 *   ahead of wall-clock seconds; a variable-frame-rate video is sampled by count.
 * - timestamp = frameNumber / frameRate.
 *
 * Here secondsPerHash = 1 / fps. The one deliberate difference: the reference
 * parses -r with std::stof, so its product is float32-rounded and can land just
 * under an integer (-r 0.7 at 10 fps gives frameMod 6). This computes in double
 * with a small tolerance, so fps = frameRate / k always gives frameMod = k.
 */

// Far below any real spacing between rate ratios, far above double rounding noise.
const RATIO_TOLERANCE = 1e-9;

/** Every how many decoded frames one is kept (the reference's frameMod). */
export function frameSamplingInterval(frameRate: number, fps: number): number {
  if (!(frameRate > 0) || !Number.isFinite(frameRate)) throw new RangeError(`Frame rate must be positive, got ${frameRate}`);
  if (!(fps >= 0) || !Number.isFinite(fps)) throw new RangeError(`fps must be 0 (every frame) or positive, got ${fps}`);
  if (fps === 0) return 1;
  return Math.max(1, Math.floor(frameRate / fps + RATIO_TOLERANCE));
}

/** Seconds of a decoded frame, as the reference reports it. */
export function frameTimestamp(frameNumber: number, frameRate: number): number {
  return frameNumber / frameRate;
}
