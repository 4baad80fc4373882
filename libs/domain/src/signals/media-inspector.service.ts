import { open, readFile, stat } from 'node:fs/promises';
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

async function head(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
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
    const { size } = await stat(path);
    const format = sniffFormat(await head(path, 64));
    if (!format) throw new MediaError('media.unsupported_type', 'The file is not a supported image (JPEG, PNG, WebP, GIF) or video (MP4, MOV, WebM)');
    if (format.kind === 'image') {
      if (size > this.config.media.maxImageBytes) {
        throw new MediaError('media.too_large', `Images may be at most ${this.config.media.maxImageBytes} bytes`, { bytes: size });
      }
      const data = await readFile(path);
      const problem = checkContainer(format.format, data);
      if (problem) throw new MediaError(problem.code, problem.message);
      const probe = await this.images.probe(data, this.config.media);
      // An animation is held to the video limits (frames, duration) before it is kept.
      await this.signals.probeAnimation(path);
      return { format, width: probe.width, height: probe.height, durationSeconds: null };
    }
    await checkVideoContainer(path);
    const probe = await this.signals.probeVideo(path);
    return { format, width: probe.width, height: probe.height, durationSeconds: probe.duration };
  }
}
