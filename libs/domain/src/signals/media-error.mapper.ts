import { ApiError } from '@loupe/common';
import { MediaError } from '@loupe/media';

/** How a problem with an uploaded file reaches the client: 415 for the wrong kind of file, else 422. */
export function mediaErrorToApi(error: MediaError): ApiError {
  if (error.code === 'media.unsupported_type') return ApiError.unsupportedMediaType(error.code, error.message, error.details);
  if (error.code === 'media.too_large') return ApiError.payloadTooLarge(error.code, error.message, error.details);
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
