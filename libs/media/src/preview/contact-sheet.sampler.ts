import { MediaError } from '../media.error';
import { frameSamplingInterval } from '../video/frame-sampling';
import type { VideoCodec } from '../video/video-codec';
import type { VideoFrame, VideoProbe } from '../video/video.types';
import { type SpreadSamplingPlan, pickNearestFrames, planSpreadSampling, spreadFrameTimes } from './contact-sheet.timing';
import { EvenlySpacedReservoir } from './evenly-spaced-reservoir';

// A video that declares no length is sampled at this rate and thinned as it plays:
// dense enough for a few seconds of video to fill a sheet, light enough for an hour.
const UNKNOWN_LENGTH_SAMPLE_FPS = 4;

export type ContactSheetSampling =
  | { kind: 'spread'; expected: number; plan: SpreadSamplingPlan }
  | { kind: 'unknown-length'; expected: number; fps: number; interval: number; frameRate: number };

/** How to pick `frames` frames from this video, decided from the header alone. */
export function planContactSheetSampling(probe: VideoProbe, frames: number): ContactSheetSampling {
  const duration = probe.duration ?? (probe.frameCount ? probe.frameCount / probe.frameRate : null);
  if (duration !== null) {
    const plan = planSpreadSampling({ duration, frameRate: probe.frameRate, frameCount: probe.frameCount, frames });
    return { kind: 'spread', expected: plan.count, plan };
  }
  const interval = frameSamplingInterval(probe.frameRate, UNKNOWN_LENGTH_SAMPLE_FPS);
  return { kind: 'unknown-length', expected: frames, fps: probe.frameRate / interval, interval, frameRate: probe.frameRate };
}

/**
 * Clockwise turn that shows a decoded frame as a player does. VideoProbe's
 * rotation is the display matrix angle as ffprobe prints it, which is
 * counter-clockwise (ffmpeg's own autorotation of a `rotation: 90` file turns
 * the picture 90 degrees counter-clockwise). Only right angles count, as for
 * the probe's displayed width and height.
 */
export function displayClockwiseDegrees(rotation: number): number {
  if (rotation % 90 !== 0) return 0;
  return (360 - (rotation % 360)) % 360;
}

/**
 * Decodes the sampled frames (already scaled to `scale` by ffmpeg) and keeps
 * the ones closest to the wanted times, in time order. Decode errors are
 * tolerated once frames come out: a partly damaged upload still gets a
 * sheet of what can be seen; a video with no decodable frame is `media.corrupt`.
 */
export async function collectContactSheetFrames(
  codec: VideoCodec,
  path: string,
  sampling: ContactSheetSampling,
  decode: { scale: { width: number; height: number }; timeoutMs?: number; probe?: VideoProbe },
): Promise<VideoFrame[]> {
  const common = { scale: decode.scale, timeoutMs: decode.timeoutMs, tolerateDecodeErrors: true, probe: decode.probe };
  let candidates: readonly VideoFrame[];
  let targets: number[];
  if (sampling.kind === 'spread') {
    const decoded: VideoFrame[] = [];
    for await (const frame of codec.frames(path, { ...common, fps: sampling.plan.fps, maxFrames: sampling.plan.maxFrames })) decoded.push(frame);
    candidates = decoded;
    targets = sampling.plan.targets;
  } else {
    // Twice the tiles plus one, so after the last halving there are still more candidates than tiles.
    const reservoir = new EvenlySpacedReservoir<VideoFrame>(2 * sampling.expected + 1);
    for await (const frame of codec.frames(path, { ...common, fps: sampling.fps })) reservoir.offer(frame);
    candidates = reservoir.items();
    if (candidates.length === 0) throw noFrames();
    const last = candidates[candidates.length - 1];
    const length = last.timestamp + sampling.interval / sampling.frameRate;
    targets = spreadFrameTimes(length, Math.min(sampling.expected, candidates.length));
  }
  if (candidates.length === 0) throw noFrames();
  return pickNearestFrames(
    candidates.map((frame) => frame.timestamp),
    targets,
  ).map((i) => candidates[i]);
}

function noFrames(): MediaError {
  return new MediaError('media.corrupt', 'Video has no decodable frame');
}
