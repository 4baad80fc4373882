import type { VideoContainerKind } from './video-input';
import type { FrameRecycler } from './frame-recycler';

/** What `VideoCodec.probe` reads from the container header (ffprobe), without decoding. */
export interface VideoProbe {
  /** ffprobe's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`. */
  container: string;
  /** Seconds, from the container (or the video stream); null when neither declares it. */
  duration: number | null;
  /** Size as a player shows it: the coded size, swapped for a 90/270 degree rotation. */
  width: number;
  height: number;
  /**
   * Size of the decoded frames, before any rotation: what `frames()` returns
   * without `scale`. This is ffprobe's `width`/`height` (the cropped picture),
   * not its `coded_width` (which can include macroblock padding, e.g. 1088).
   */
  codedWidth: number;
  codedHeight: number;
  /**
   * Display-matrix rotation in degrees, normalised to 0..359, as ffprobe 5.1
   * prints it (`side_data_list[].rotation`, falling back to the legacy `rotate`
   * tag). `frames()` never applies it (`-noautorotate`), like the vPDQ reference.
   */
  rotation: number;
  /** Frames per second: the stream's avg_frame_rate, or r_frame_rate when that is 0/0. */
  frameRate: number;
  /** The same rate as ffprobe's rational text, e.g. `30000/1001`. */
  frameRateRational: string;
  /** Frame count the container declares (nb_frames); null when unknown. */
  frameCount: number | null;
  /** Decoder name of the video stream, e.g. `h264`, `vp9`. */
  codec: string;
  pixelFormat: string | null;
  hasAudio: boolean;
  /** Index of the probed stream among all streams: the first video stream, as the reference takes. */
  streamIndex: number;
}

export interface VideoFrame {
  /** 0-based over the frames emitted by this call. */
  index: number;
  /** 0-based index among all decoded frames of the stream (the reference's frame number). */
  frameNumber: number;
  /** Seconds: frameNumber / frameRate, as the vPDQ reference computes it. */
  timestamp: number;
  width: number;
  height: number;
  /** Packed rgb24, row-major, `width * height * 3` bytes. A fresh buffer per frame. */
  rgb: Buffer;
}

export interface VideoCallOptions {
  /**
   * Wall-clock limit for the whole call, in milliseconds. For `frames()` it
   * covers the iteration, including time the consumer spends between frames.
   * ffmpeg/ffprobe is killed and the call fails with `media.timeout`.
   */
  timeoutMs?: number;
  /**
   * `apng`: the file is an animated PNG (its PNG structure checked by the
   * caller), read with ffmpeg's apng demuxer only. Default `video`.
   */
  container?: VideoContainerKind;
}

export interface VideoFrameOptions extends VideoCallOptions {
  /**
   * Where the frames' buffers come from: frames the consumer gives back are
   * used again (see FrameRecycler). Without one, each frame has a buffer of
   * its own, the whole of its ArrayBuffer.
   */
  frameBuffers?: FrameRecycler;
  /**
   * Frames per second to sample; 0 = every decoded frame. Default 1. Selection
   * follows vpdq-hash-video -r (1 / fps): see frame-sampling.ts.
   */
  fps?: number;
  /** Resize every frame to exactly this size (aspect ratio ignored), with swscale's area filter. */
  scale?: { width: number; height: number };
  /** Stop after this many emitted frames. */
  maxFrames?: number;
  /**
   * Fail with `media.too_many_frames` rather than emit more than this many
   * frames (ffmpeg is stopped as soon as one more is decoded).
   */
  frameLimit?: number;
  /**
   * Fail with `media.too_long` once the decoded video runs past this many
   * seconds, whatever its header declares: counted both by frames (frame
   * number / frame rate) and by the frames' own timestamps. ffmpeg is killed.
   */
  maxSeconds?: number;
  /** Fail with `media.too_many_frames` once the stream has decoded more frames than this. */
  maxDecodedFrames?: number;
  /**
   * Refuse frames larger than this many pixels (after `scale`), before
   * decoding anything: each frame is one Buffer of width*height*3 bytes.
   * Default 8192*4320 (8K).
   */
  maxFramePixels?: number;
  /**
   * By default, decode errors reported by ffmpeg make the iteration fail once
   * the decodable frames have been emitted (`media.corrupt`, or
   * `media.truncated` for a cut file). True keeps the frames and ignores them.
   */
  tolerateDecodeErrors?: boolean;
  /**
   * What `probe` said of this file, when the caller has it already: frames()
   * then starts ffmpeg without running ffprobe again. Each child process
   * costs the event loop its fork, about 35 ms per GB the server holds
   * (docs/benchmarks.md), and a video's job probed it twice.
   */
  probe?: VideoProbe;
}
