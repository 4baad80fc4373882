import { open } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { checkContainer, checkVideoContainer, MediaError, sniffFormat, SniffedFormat, VideoProbe } from '@loupe/media';
import { ImageAnimation, SignalExtractor } from './signal-extractor.service';

export interface InspectedMedia {
  format: SniffedFormat;
  width: number;
  height: number;
  /** An image's frames when it moves (checked against the video limits); null for a still image or a video. */
  animation: ImageAnimation | null;
  /** A video's probe (its duration, rate, codec), kept with the item for its media job; null for an image. */
  videoProbe: VideoProbe | null;
}

/** What inspection reads of a file: its format, and the whole of it for an image (a video is read by ffprobe). */
type FileRead = { format: Extract<SniffedFormat, { kind: 'image' }>; data: Buffer } | { format: Extract<SniffedFormat, { kind: 'video' }>; data: null };

/**
 * The checks an upload passes before Loupe keeps it, all without decoding
 * pixels: magic bytes, container structure (a cut file), and the declared
 * size against the limits (a decompression bomb, an overlong video).
 * Throws MediaError; callers map it to a 4xx.
 */
@Injectable()
export class MediaInspector {
  constructor(
    private readonly signals: SignalExtractor,
    private readonly config: LoupeConfig,
  ) {}

  async inspect(path: string): Promise<InspectedMedia> {
    const read = await this.read(path);
    if (read.data === null) {
      await checkVideoContainer(path);
      const probe = await this.signals.probeVideo(path);
      return { format: read.format, width: probe.width, height: probe.height, animation: null, videoProbe: probe };
    }
    const { format, data } = read;
    const problem = checkContainer(format.format, data);
    if (problem) throw new MediaError(problem.code, problem.message);
    // The size and the frames from one read of the header; an animation is held to the video limits (frames, duration) before it is kept.
    const { probe, animation } = await this.signals.inspectImage(data);
    return { format, width: probe.width, height: probe.height, animation, videoProbe: null };
  }

  /** The size, the magic bytes and, for an image, the whole file, through one handle: an upload's checks sit on its 202. */
  private async read(path: string): Promise<FileRead> {
    const file = await open(path, 'r');
    try {
      const [{ size }, head] = await Promise.all([file.stat(), file.read(Buffer.alloc(64), 0, 64, 0)]);
      const format = sniffFormat(head.buffer.subarray(0, head.bytesRead));
      if (!format) throw new MediaError('media.unsupported_type', 'The file is not a supported image (JPEG, PNG, WebP, GIF) or video (MP4, MOV, WebM)');
      if (format.kind === 'video') return { format, data: null };
      if (size > this.config.media.maxImageBytes) {
        throw new MediaError('media.too_large', `Images may be at most ${this.config.media.maxImageBytes} bytes`, { bytes: size });
      }
      // The read above was positioned, so this one starts at the file's first byte.
      return { format, data: await file.readFile() };
    } finally {
      await file.close();
    }
  }
}
