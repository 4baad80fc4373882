import { stat } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { MediaError } from '../media.error';
import { runFfprobe } from './ffprobe-runner';
import { frameSamplingInterval, frameTimestamp } from './frame-sampling';
import { readFixedSizeFrames } from './raw-frame-reader';
import { RawVideoProcess, buildRawDecodeCommand } from './raw-video-process';
import { checkVideoContainer } from './video-container-check';
import { formatWhitelistFor, resolveLocalVideoPath, VideoContainerKind } from './video-input';
import { toVideoProbe } from './video-probe.mapper';
import { VideoTools } from './video-tools';
import type { VideoCallOptions, VideoFrame, VideoFrameOptions, VideoProbe } from './video.types';

export const DEFAULT_VIDEO_PROBE_TIMEOUT_MS = 30_000;
export const DEFAULT_VIDEO_DECODE_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_VIDEO_SAMPLE_FPS = 1;
export const DEFAULT_MAX_FRAME_PIXELS = 8192 * 4320;
/** Probes kept by file identity (VideoCodec.probeLocal): enough for the uploads waiting for their media job. */
const PROBES_KEPT = 256;

/**
 * The one place that drives ffmpeg (decoding through fluent-ffmpeg, probing
 * through ffprobe). Everything else sees plain RGB frames, so vPDQ never
 * depends on libav. Inputs are local MP4/MOV and Matroska/WebM files only:
 * see video-input.ts for how URLs, playlists and other demuxers are kept out.
 */
@Injectable()
export class VideoCodec {
  private readonly probes = new Map<string, VideoProbe>();

  constructor(private readonly tools: VideoTools = new VideoTools()) {}

  /**
   * Header facts, without decoding. Throws MediaError: `media.invalid_path`,
   * `media.not_found`, `media.unsupported_type`, `media.truncated`,
   * `media.corrupt`, `media.no_video_stream`, `media.unsupported_codec`,
   * `media.timeout`; VideoUnavailableError (`media.video_unavailable`) when
   * ffmpeg or ffprobe is missing.
   */
  async probe(path: string, options: VideoCallOptions = {}): Promise<VideoProbe> {
    this.tools.requireAvailable();
    const absolute = await resolveLocalVideoPath(path);
    return this.probeLocal(absolute, options.timeoutMs ?? DEFAULT_VIDEO_PROBE_TIMEOUT_MS, options.container ?? 'video');
  }

  /**
   * Decoded frames as packed rgb24, streamed from ffmpeg's stdout one frame
   * at a time. `fps` 0 gives every decoded frame; otherwise frames are picked
   * by count, as vpdq-hash-video does (frame-sampling.ts). Leaving the loop
   * early (break, return, a throw in the consumer) kills ffmpeg and waits for
   * it to exit.
   *
   * Errors found while decoding (a cut file, corrupt data) are thrown after
   * the last decodable frame, unless `tolerateDecodeErrors` is set.
   */
  async *frames(path: string, options: VideoFrameOptions = {}): AsyncGenerator<VideoFrame, void, undefined> {
    this.tools.requireAvailable();
    const fps = options.fps ?? DEFAULT_VIDEO_SAMPLE_FPS;
    const { maxFrames, frameLimit } = options;
    for (const [name, value] of Object.entries({ maxFrames, frameLimit, maxDecodedFrames: options.maxDecodedFrames })) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (options.maxSeconds !== undefined && !(options.maxSeconds > 0)) throw new RangeError(`maxSeconds must be positive, got ${options.maxSeconds}`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_VIDEO_DECODE_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;

    const absolute = await resolveLocalVideoPath(path);
    const container = options.container ?? 'video';
    const probe = options.probe ?? (await this.probeLocal(absolute, Math.min(timeoutMs, DEFAULT_VIDEO_PROBE_TIMEOUT_MS), container));
    const interval = frameSamplingInterval(probe.frameRate, fps);
    const { width, height } = outputSize(probe, options);
    const maxPixels = options.maxFramePixels ?? DEFAULT_MAX_FRAME_PIXELS;
    if (width * height > maxPixels) {
      throw new MediaError('media.too_many_pixels', `Video frames of ${width}x${height} exceed the limit of ${maxPixels} pixels`, {
        width,
        height,
        maxPixels,
      });
    }

    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) throw new MediaError('media.timeout', `Decoding the video took longer than ${timeoutMs} ms`, { timeoutMs });
    // One frame past the limit is decoded, so that reaching it exactly is not mistaken for passing it.
    const stopAfter = Math.min(maxFrames ?? Infinity, frameLimit !== undefined ? frameLimit + 1 : Infinity);
    const command = buildRawDecodeCommand({
      absolutePath: absolute,
      width,
      height,
      sampleInterval: interval,
      maxFrames: Number.isFinite(stopAfter) ? stopAfter : undefined,
      formatWhitelist: formatWhitelistFor(container),
    });
    const decoder = new RawVideoProcess(command, remainingMs);
    const limits = new DecodeLimits(options, probe.frameRate);

    let completed = false;
    try {
      let index = 0;
      try {
        const recycler = options.frameBuffers;
        for await (const rgb of readFixedSizeFrames(decoder.output, width * height * 3, recycler && ((bytes) => recycler.take(bytes)))) {
          const frameNumber = index * interval;
          limits.check(index, frameNumber, decoder.outputSeconds);
          yield { index, frameNumber, timestamp: frameTimestamp(frameNumber, probe.frameRate), width, height, rgb };
          index++;
          if (maxFrames !== undefined && index >= maxFrames) return;
        }
      } catch (error) {
        if (error instanceof MediaError) throw error;
        // A read failure is usually ffmpeg failing; its stderr says why better than the stream does.
        throw (await decoder.outcome(true)) ?? error;
      }
      const problem = await decoder.outcome(options.tolerateDecodeErrors ?? false);
      if (problem) throw problem;
      // The last frames may end past the limit with no further frame read to notice it.
      limits.checkEnd(decoder.outputSeconds);
      completed = true;
    } finally {
      if (!completed) await decoder.stop();
    }
  }

  /**
   * A file's probe, once per file in this process: an upload is probed
   * before its 202 and again by its media job, and each ffprobe costs
   * about 0.15 s of CPU, most of it the program loading its libraries.
   * Kept by the file's identity (device, inode, size, times), which a hard
   * link or a rename into the media store keeps and any rewrite changes;
   * stored files never change. Only successful probes are kept.
   */
  private async probeLocal(absolute: string, timeoutMs: number, container: VideoContainerKind): Promise<VideoProbe> {
    const file = await stat(absolute, { bigint: true });
    const key = [container, file.dev, file.ino, file.size, file.mtimeNs, file.birthtimeNs].join(':');
    const known = this.probes.get(key);
    if (known) return { ...known };
    if (container === 'video') await checkVideoContainer(absolute);
    const probe = toVideoProbe(await runFfprobe(absolute, timeoutMs, this.tools.ffprobePath, formatWhitelistFor(container)));
    this.probes.set(key, { ...probe });
    if (this.probes.size > PROBES_KEPT) this.probes.delete(this.probes.keys().next().value!);
    return probe;
  }
}

/**
 * The limits `frames()` enforces while decoding, from what the decoder
 * actually produces: a header can declare 5 seconds, or nothing, and carry
 * hours of frames.
 */
class DecodeLimits {
  // Timestamps are rounded to the container's time base; a frame ending this close to the limit ends on it.
  private static readonly END_TOLERANCE_SECONDS = 0.01;

  constructor(
    private readonly options: VideoFrameOptions,
    private readonly frameRate: number,
  ) {}

  check(index: number, frameNumber: number, outputSeconds: number): void {
    const { frameLimit, maxSeconds, maxDecodedFrames } = this.options;
    if (frameLimit !== undefined && index >= frameLimit) {
      throw new MediaError('media.too_many_frames', `The video has more than ${frameLimit} frames to hash`, { maxFrames: frameLimit });
    }
    if (maxDecodedFrames !== undefined && frameNumber >= maxDecodedFrames) {
      throw new MediaError('media.too_many_frames', `The video has more than ${maxDecodedFrames} frames; the limit is ${maxDecodedFrames}`, {
        maxFrames: maxDecodedFrames,
      });
    }
    if (maxSeconds === undefined) return;
    // By count: a frame that starts at the limit belongs to a video longer than it.
    const start = frameTimestamp(frameNumber, this.frameRate);
    if (start >= maxSeconds) throw tooLong(start, maxSeconds);
    this.checkEnd(outputSeconds);
  }

  /** By the frames' own timestamps: where the output has got to. */
  checkEnd(outputSeconds: number): void {
    const { maxSeconds } = this.options;
    if (maxSeconds !== undefined && outputSeconds > maxSeconds + DecodeLimits.END_TOLERANCE_SECONDS) throw tooLong(outputSeconds, maxSeconds);
  }
}

function tooLong(decodedSeconds: number, maxSeconds: number): MediaError {
  return new MediaError('media.too_long', `The video runs past ${maxSeconds} s (${decodedSeconds.toFixed(1)} s decoded when it was stopped); the limit is ${maxSeconds} s`, {
    decodedSeconds,
    maxSeconds,
  });
}

function outputSize(probe: VideoProbe, options: VideoFrameOptions): { width: number; height: number } {
  if (!options.scale) return { width: probe.codedWidth, height: probe.codedHeight };
  const { width, height } = options.scale;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`scale must be positive integers, got ${width}x${height}`);
  }
  return { width, height };
}
