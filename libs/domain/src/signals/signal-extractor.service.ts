import { Injectable } from '@nestjs/common';
import { ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import type { VpdqFeature } from '@loupe/hashing';
import { animatedPngFrames, AnimationProbe, FrameRecycler, ImageCodec, ImageProbe, MediaError, RawRgbImage, VideoCodec, VideoFrame, VideoProbe } from '@loupe/media';
import { NSFW_INPUT_SIZE } from '@loupe/ml';
import { checkAnimationFrameLimit, checkAnimationLimits, checkFrameLimit, withFrameLimitMessage } from './frame-limits';

/** Images larger than this on the longer side are scaled to it before hashing (see docs/architecture.md). */
export const PDQ_MAX_SIDE = 1024;

export interface ImageSignals {
  width: number;
  height: number;
  pdq: string;
  quality: number;
  /** The 8 dihedral hashes, in the reference's order. */
  dihedral: string[];
  /** The classifier's input, 224x224 RGB. */
  modelInput: RawRgbImage;
}

/** What a video's or an animation's signals say about it. */
export type MotionProbe = Pick<VideoProbe, 'width' | 'height' | 'duration' | 'frameRate'>;

export interface VideoSignals {
  probe: MotionProbe;
  /** vPDQ: one PDQ hash per sampled frame, by frame number. */
  frames: VpdqFeature[];
  /** Up to VIDEO_MODEL_FRAMES frames spread over the video or animation, 224x224 RGB each, for the classifier. */
  modelInputs: RawRgbImage[];
}

/** A decoded frame of a video or an animation; `sampled: false` frames are seen by the classifier only. */
type MotionFrame = VideoFrame & { sampled?: boolean };

/** An animated image: GIF or WebP frames read by sharp, or an APNG read by ffmpeg. */
export type ImageAnimation = { kind: 'frames'; probe: AnimationProbe } | { kind: 'apng'; frames: number };

export interface VideoSignalOptions {
  /** `apng`: an animated PNG read as a video. */
  container?: 'video' | 'apng';
  /** Frames per second to hash; 0: every frame. Default VPDQ_FPS. */
  fps?: number;
  /** How many frames the classifier gets. Default VIDEO_MODEL_FRAMES. */
  modelFrames?: number;
  /** Refuse (media.too_many_frames) a video with more frames to hash than this: from the header, then while decoding. */
  frameLimit?: number;
  onProgress?: (fraction: number) => void;
  /** The file's probe, taken when it was uploaded: the file is not probed again (the limits are still checked). */
  probe?: VideoProbe;
  /** Each model input as it is made, in order, before the video is decoded to its end (to score it meanwhile). */
  onModelInput?: (input: RawRgbImage) => void;
}

/**
 * Turns media files into the signals Loupe matches and classifies: decoding
 * happens once per file (sharp or ffmpeg, in libs/media), hashing in the
 * compute threads. The ingest pipeline, the hashes API and the CLI share it,
 * so a hash is the same whichever way it was made.
 */
@Injectable()
export class SignalExtractor {
  constructor(
    private readonly images: ImageCodec,
    private readonly videos: VideoCodec,
    private readonly compute: ComputePool,
    private readonly config: LoupeConfig,
  ) {}

  /**
   * A still image's hashes and model input, from its file or its bytes
   * already read; `checked`: its header from inspectImage, not read again.
   */
  async image(input: Buffer | string, checked?: ImageProbe): Promise<ImageSignals> {
    const sizes = { hashMaxSide: PDQ_MAX_SIDE, modelSize: NSFW_INPUT_SIZE };
    const { width, height, hashInput, modelInput } = await this.images.decodeForAnalysis(input, this.config.media, sizes, checked);
    const pdq = await this.compute.pdq({ rgb: hashInput.data, width: hashInput.width, height: hashInput.height, dihedral: true });
    return { width, height, pdq: pdq.hash, quality: pdq.quality, dihedral: pdq.dihedral!, modelInput };
  }

  /** Checks a video against the configured limits from its header alone; throws MediaError. */
  async probeVideo(path: string, container: 'video' | 'apng' = 'video'): Promise<VideoProbe> {
    return this.checkVideo(await this.videos.probe(path, { container }));
  }

  /** A video's probe held to the configured limits (duration, frame size); throws MediaError. */
  private checkVideo(probe: VideoProbe): VideoProbe {
    const { maxSeconds, maxDimension } = this.config.video;
    if (probe.duration !== null && probe.duration > maxSeconds) {
      throw new MediaError('media.too_long', `The video lasts ${probe.duration.toFixed(1)} s; the limit is ${maxSeconds} s`, { duration: probe.duration, maxSeconds });
    }
    if (probe.width > maxDimension || probe.height > maxDimension) {
      throw new MediaError('media.too_many_pixels', `The video is ${probe.width}x${probe.height}; the limit is ${maxDimension} per side`, {
        width: probe.width,
        height: probe.height,
        maxDimension,
      });
    }
    return probe;
  }

  /**
   * Hashes a video's frames at `fps` (0: every frame) and keeps a few of the
   * same decoded frames as model input, so the video is decoded once.
   */
  async video(path: string, options: VideoSignalOptions = {}): Promise<VideoSignals> {
    const container = options.container ?? 'video';
    const probe = options.probe ? this.checkVideo(options.probe) : await this.probeVideo(path, container);
    const fps = options.fps ?? this.config.video.vpdqFps;
    if (options.frameLimit !== undefined) checkFrameLimit(probe, fps, options.frameLimit);
    const expected = Math.max(1, Math.ceil((probe.duration ?? 1) * (fps > 0 ? fps : probe.frameRate || 1)));
    const { maxSeconds, maxDimension, maxFrames } = this.config.video;
    // Frame buffers go round: hashFrames gives each back once it is hashed (the frames in flight, the one read, the one being made).
    const frameBuffers = new FrameRecycler(this.framesInFlight() + 2);
    // The header's duration was checked above; these hold the decoder to it, for headers that lie or say nothing.
    const decode = { fps, maxFramePixels: maxDimension ** 2, maxSeconds, maxDecodedFrames: maxFrames, frameLimit: options.frameLimit, container, probe, frameBuffers };
    const frames = withFrameLimitMessage(this.videos.frames(path, decode), fps, options.frameLimit);
    return { probe, ...(await this.hashFrames(frames, expected, options, frameBuffers)) };
  }

  /**
   * An image's header, read once: its displayed size held to the image
   * limits, and whether it moves. An animated GIF or WebP (decoded by sharp)
   * or PNG (decoded by ffmpeg) is held to the video limits as far as its
   * structure tells; animation is null for a still image. Throws MediaError.
   * The upload's inspection and the media job both start here.
   */
  async inspectImage(data: Buffer): Promise<{ probe: ImageProbe; animation: ImageAnimation | null }> {
    const { probe, animation } = await this.images.probeWithAnimation(data, this.config.media);
    return { probe, animation: this.checkedAnimation(animatedPngFrames(data), animation) };
  }

  /** An APNG's frame count before sharp's reading (sharp sees an APNG's first frame only), held to the video limits. */
  private checkedAnimation(apngFrames: number | null, probe: AnimationProbe | null): ImageAnimation | null {
    if (apngFrames !== null) {
      checkAnimationLimits({ frames: apngFrames, durationSeconds: 0 }, this.config.video);
      return { kind: 'apng', frames: apngFrames };
    }
    if (probe) checkAnimationLimits(probe, this.config.video);
    return probe && { kind: 'frames', probe };
  }

  /**
   * An animation as a video: frames sampled by their delays at `fps` for vPDQ,
   * and up to VIDEO_MODEL_FRAMES of all its frames for the classifier, so a
   * later frame counts as much as the first.
   */
  async animation(path: string, animation: ImageAnimation, options: VideoSignalOptions = {}): Promise<VideoSignals> {
    // An APNG's delays are only known to ffmpeg: it is read as a video, with the limits enforced while decoding.
    if (animation.kind === 'apng') return this.video(path, { ...options, container: 'apng' });
    const { probe } = animation;
    const fps = options.fps ?? this.config.video.vpdqFps;
    if (options.frameLimit !== undefined) checkAnimationFrameLimit(probe, fps, options.frameLimit);
    const signals = await this.hashFrames(this.images.animationFrames(path, probe, fps), probe.frames, options);
    const { width, height, durationSeconds } = probe;
    return { probe: { width, height, duration: durationSeconds, frameRate: probe.frames / durationSeconds }, ...signals };
  }

  /** Frames hashed at once: enough to keep every compute thread busy, and no more in memory. */
  private framesInFlight(): number {
    return this.config.compute.threads * 2;
  }

  /**
   * The one path from decoded frames to signals, for videos and animations:
   * PDQ for every sampled frame (in the compute threads), and model inputs
   * from frames spread over the `expected` frames. A frame's buffer goes to
   * `frameBuffers` once it is hashed: the source's frames must be its.
   */
  private async hashFrames(
    source: AsyncIterable<MotionFrame>,
    expected: number,
    options: VideoSignalOptions,
    frameBuffers?: FrameRecycler,
  ): Promise<{ frames: VpdqFeature[]; modelInputs: RawRgbImage[] }> {
    const modelFrames = options.modelFrames ?? this.config.video.modelFrames;
    const stride = Math.max(1, Math.floor(expected / Math.max(1, modelFrames)));
    const pending: Promise<VpdqFeature>[] = [];
    const modelInputs: RawRgbImage[] = [];
    const window = this.framesInFlight();
    for await (const frame of source) {
      if (frame.index % stride === 0 && modelInputs.length < modelFrames) {
        const input = await this.images.resize({ data: frame.rgb, width: frame.width, height: frame.height }, { width: NSFW_INPUT_SIZE, height: NSFW_INPUT_SIZE });
        modelInputs.push(input);
        options.onModelInput?.(input);
      }
      if (frame.sampled !== false) {
        // The frame is not read again here: its pixels go to the compute thread without a copy.
        const hashed = this.compute
          .pdq({ rgb: frame.rgb, width: frame.width, height: frame.height, dihedral: false }, { handOver: true })
          .then(({ hash, quality }) => ({ frameNumber: frame.frameNumber, timestamp: frame.timestamp, quality, pdq: hash }));
        // Once the thread has read it, whatever the outcome; the model input above was made from it first.
        if (frameBuffers) void hashed.then(() => frameBuffers.giveBack(frame.rgb), () => frameBuffers.giveBack(frame.rgb));
        // Handled here so a failure is not an unhandled rejection before Promise.all below sees it.
        hashed.catch(() => undefined);
        pending.push(hashed);
        if (pending.length >= window) await pending[pending.length - window];
      }
      options.onProgress?.(Math.min(1, (frame.index + 1) / expected));
    }
    const frames = await Promise.all(pending);
    if (frames.length === 0) throw new MediaError('media.no_frames', 'The video has no decodable frames');
    return { frames, modelInputs };
  }
}
