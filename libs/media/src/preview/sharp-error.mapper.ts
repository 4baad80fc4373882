import { MediaError } from '../media.error';

/**
 * sharp reports every problem as a plain Error with libvips' message; the
 * codes match ImageCodec's, so a preview and the ingest path report the same
 * file the same way. (ImageCodec keeps its own mapper private.)
 */
export function sharpErrorToMediaError(error: unknown): MediaError {
  if (error instanceof MediaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new MediaError('media.too_many_pixels', 'Image exceeds the pixel limit');
  if (/premature end|truncated|unexpected end/i.test(message)) return new MediaError('media.truncated', `Image is truncated: ${message}`);
  if (/unsupported image format/i.test(message)) return new MediaError('media.unsupported_type', 'Not a supported image');
  return new MediaError('media.corrupt', `Image cannot be decoded: ${message}`);
}
