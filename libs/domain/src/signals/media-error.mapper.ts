import { ApiError } from '@loupe/common';
import { MediaError, VideoUnavailableError } from '@loupe/media';

/** How a problem with an uploaded file reaches the client: 415 for the wrong kind of file, 503 when video cannot be decoded here, else 422. */
export function mediaErrorToApi(error: MediaError): ApiError {
  if (error.code === 'media.unsupported_type') return ApiError.unsupportedMediaType(error.code, error.message, error.details);
  if (error.code === 'media.too_large') return ApiError.payloadTooLarge(error.code, error.message, error.details);
  // The server lacks ffmpeg/ffprobe: nothing is wrong with the file, and another server (or later) may take it.
  if (error instanceof VideoUnavailableError) return new ApiError(503, error.code, error.message, error.details);
  return ApiError.unprocessable(error.code, error.message, error.details);
}

/** Runs `work`, turning MediaError into the matching ApiError. */
export async function asApiErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MediaError) throw mediaErrorToApi(error);
    throw error;
  }
}
