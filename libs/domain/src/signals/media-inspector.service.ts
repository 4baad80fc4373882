import { open, type FileHandle } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { checkContainer, checkVideoContainer, ImageCodec, MediaError, sniffFormat, SniffedFormat } from '@loupe/media';
import { SignalExtractor } from './signal-extractor.service';

export interface InspectedMedia {
  format: SniffedFormat;
  width: number;
  height: number;
  durationSeconds: number | null;
}

type ImageFormat = Extract<SniffedFormat, { kind: 'image' }>;

/** A file's size and first bytes, read through one handle. */
interface FileRead {
  size: number;
  head: Buffer;
}

/**
 * The checks an upload passes before Loupe keeps it, all without decoding
 * pixels: magic bytes, container structure (a cut file), and the declared
 * size against the limits (a decompression bomb, an overlong video).
 * Throws MediaError; callers map it to a 4xx.
 */
@Injectable()
export class MediaInspector {
  constructor(
    private readonly images: ImageCodec,
    private readonly signals: SignalExtractor,
    private readonly config: LoupeConfig,
  ) {}

  async inspect(path: string): Promise<InspectedMedia> {
    // One handle for the size, the magic bytes and, for an image, the whole file: an upload's checks sit on its 202.
    const file = await open(path, 'r');
    let image: { format: ImageFormat; data: Buffer } | null = null;
    let format: SniffedFormat;
    try {
      const { size, head } = await readHead(file, 64);
      const sniffed = sniffFormat(head);
      if (!sniffed) throw new MediaError('media.unsupported_type', 'The file is not a supported image (JPEG, PNG, WebP, GIF) or video (MP4, MOV, WebM)');
      format = sniffed;
      if (format.kind === 'image') {
        if (size > this.config.media.maxImageBytes) {
          throw new MediaError('media.too_large', `Images may be at most ${this.config.media.maxImageBytes} bytes`, { bytes: size });
        }
        image = { format, data: await file.readFile() };
      }
    } finally {
      await file.close();
    }
    if (image) return this.inspectImage(image.format, image.data);
    await checkVideoContainer(path);
    const probe = await this.signals.probeVideo(path);
    return { format, width: probe.width, height: probe.height, durationSeconds: probe.duration };
  }

  private async inspectImage(format: ImageFormat, data: Buffer): Promise<InspectedMedia> {
    const problem = checkContainer(format.format, data);
    if (problem) throw new MediaError(problem.code, problem.message);
    // The size and the frames from one read of the header; an animation is held to the video limits (frames, duration) before it is kept.
    const { probe, animation } = await this.images.probeWithAnimation(data, this.config.media);
    this.signals.animationOf(data, animation);
    return { format, width: probe.width, height: probe.height, durationSeconds: null };
  }
}

async function readHead(file: FileHandle, bytes: number): Promise<FileRead> {
  const [{ size }, head] = await Promise.all([file.stat(), file.read(Buffer.alloc(bytes), 0, bytes, 0)]);
  return { size, head: head.buffer.subarray(0, head.bytesRead) };
}
