import { Injectable } from '@nestjs/common';
import sharp, { type Metadata } from 'sharp';
import { MediaError } from '../media.error';
import { AnimationFrame, AnimationProbe, animationOf, decodeAnimationFrames } from './animation';
import { RawRgbImage, toRawRgb } from './raw-rgb';

export type { RawRgbImage } from './raw-rgb';

export interface ImageLimits {
  maxPixels: number;
  maxDimension: number;
}

export interface ImageProbe {
  format: string;
  /** Size as displayed, after the EXIF orientation. */
  width: number;
  height: number;
}

export interface AnalysisImages {
  width: number;
  height: number;
  /** The pixels PDQ hashes: full size up to `hashMaxSide`, else scaled down to it. */
  hashInput: RawRgbImage;
  /** The classifier's input, `modelSize` square. */
  modelInput: RawRgbImage;
}

export interface DecodeOptions {
  /** Apply the EXIF orientation tag, as a viewer would show the image. */
  autoOrient?: boolean;
  maxPixels?: number;
}

const SHARP_DEFAULT_PIXEL_LIMIT = 268_402_689;

function toMediaError(error: unknown): MediaError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new MediaError('media.too_many_pixels', 'Image exceeds the pixel limit');
  if (/premature end|truncated|unexpected end/i.test(message)) return new MediaError('media.truncated', `Image is truncated: ${message}`);
  if (/unsupported image format/i.test(message)) return new MediaError('media.unsupported_type', 'Not a supported image');
  return new MediaError('media.corrupt', `Image cannot be decoded: ${message}`);
}

/** The size a header declares, as displayed, held to the limits. */
function probeOf(metadata: Metadata, limits: ImageLimits): ImageProbe {
  const { width, height, format } = metadata;
  if (!width || !height || !format) throw new MediaError('media.corrupt', 'Image header has no size');
  if (width > limits.maxDimension || height > limits.maxDimension || width * height > limits.maxPixels) {
    throw new MediaError(
      'media.too_many_pixels',
      `Image declares ${width}x${height} pixels; the limit is ${limits.maxPixels} pixels and ${limits.maxDimension} per side`,
      { width, height, maxPixels: limits.maxPixels, maxDimension: limits.maxDimension },
    );
  }
  const rotated = (metadata.orientation ?? 1) >= 5;
  return { format, width: rotated ? height : width, height: rotated ? width : height };
}

/**
 * The one place that drives sharp for still images. Everything else sees
 * plain RGB buffers, so hashing and inference never depend on libvips.
 */
@Injectable()
export class ImageCodec {
  /** Reads the header only: cheap, and enough to refuse decompression bombs before decoding. */
  async probe(input: Buffer | string, limits: ImageLimits): Promise<ImageProbe> {
    return probeOf(await this.metadata(input), limits);
  }

  /**
   * The header's size (probe) and frame structure (animationOf) from one
   * read of it: an upload's checks need both, and each read of a header is a
   * trip through libvips' thread pool.
   */
  async probeWithAnimation(input: Buffer | string, limits: ImageLimits): Promise<{ probe: ImageProbe; animation: AnimationProbe | null }> {
    const metadata = await this.metadata(input);
    return { probe: probeOf(metadata, limits), animation: animationOf(metadata) };
  }

  private async metadata(input: Buffer | string): Promise<Metadata> {
    try {
      return await sharp(input, { limitInputPixels: false }).metadata();
    } catch (error) {
      throw toMediaError(error);
    }
  }

  async decodeRgb(input: Buffer | string, options: DecodeOptions = {}): Promise<RawRgbImage> {
    try {
      // 'warning', not 'truncated' or 'error': libjpeg reports a cut scan followed by a forged
      // end-of-image marker only as the warning "premature end of data segment", and fills the
      // missing rows with grey. Every decode must see all of the pixels it judges.
      let pipeline = sharp(input, { failOn: 'warning', limitInputPixels: options.maxPixels ?? SHARP_DEFAULT_PIXEL_LIMIT });
      if (options.autoOrient) pipeline = pipeline.rotate();
      return await toRawRgb(pipeline.flatten({ background: { r: 255, g: 255, b: 255 } }).toColourspace('srgb'));
    } catch (error) {
      throw toMediaError(error);
    }
  }

  /**
   * Decodes once (EXIF orientation applied, alpha flattened on white) and
   * derives both the hash input and the model input from those pixels.
   * `checked`: this input's header as probe or probeWithAnimation returned
   * it for these same `limits`, so it is not read again. Given anything
   * else, the size limits (a decompression bomb's check) would be skipped.
   */
  async decodeForAnalysis(
    input: Buffer | string,
    limits: ImageLimits,
    sizes: { hashMaxSide: number; modelSize: number },
    checked?: ImageProbe,
  ): Promise<AnalysisImages> {
    if (!checked) await this.probe(input, limits);
    const decoded = await this.decodeRgb(input, { autoOrient: true, maxPixels: limits.maxPixels });
    const longer = Math.max(decoded.width, decoded.height);
    const hashInput =
      longer <= sizes.hashMaxSide
        ? decoded
        : await this.resize(decoded, {
            width: Math.max(1, Math.round((decoded.width * sizes.hashMaxSide) / longer)),
            height: Math.max(1, Math.round((decoded.height * sizes.hashMaxSide) / longer)),
          });
    const modelInput = await this.resize(decoded, { width: sizes.modelSize, height: sizes.modelSize });
    return { width: decoded.width, height: decoded.height, hashInput, modelInput };
  }

  /** Every frame of an animation, decoded in order, with whether vPDQ sampling at `fps` picks it. */
  animationFrames(input: Buffer | string, probe: AnimationProbe, fps: number): AsyncGenerator<AnimationFrame> {
    return decodeAnimationFrames(input, probe, fps);
  }

  /** Resamples raw RGB with lanczos3, ignoring aspect ratio (callers pick the size). */
  async resize(image: RawRgbImage, size: { width: number; height: number }): Promise<RawRgbImage> {
    const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
}
