import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiError, ApiErrorBody } from '@loupe/common';
import { isDatabaseUnavailable } from '@loupe/domain/health';

/** Seconds a client is told to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Codes for errors raised by Fastify and its plugins before a handler runs. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.too_large',
  FST_REQ_FILE_TOO_LARGE: 'upload.too_large',
  FST_FILES_LIMIT: 'upload.too_many_files',
  FST_FIELDS_LIMIT: 'upload.too_many_fields',
  FST_PARTS_LIMIT: 'upload.too_many_parts',
  FST_PROTO_VIOLATION: 'request.invalid',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'request.not_multipart',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_content_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.invalid',
};

const statusCodeName = (status: number) =>
  (HttpStatus[status] ?? 'error').toLowerCase();

export interface ErrorResponse {
  status: number;
  body: ApiErrorBody & { correlationId: string };
  /** Unexpected: log it with its stack. */
  unexpected: boolean;
  /** Extra response headers, e.g. Retry-After on a 503. */
  headers?: Record<string, string>;
}

/**
 * One mapping from any thrown value to the error body clients see. Known
 * errors keep their code; anything else is a 500 that reveals nothing but a
 * correlation id, which the logs carry with the full error.
 */
export function toErrorResponse(error: unknown, correlationId: string): ErrorResponse {
  if (error instanceof ApiError) {
    return {
      status: error.getStatus(),
      body: { ...(error.getResponse() as ApiErrorBody), correlationId },
      unexpected: false,
      ...(error.retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(error.retryAfterSeconds) } } : {}),
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? error.message);
    return {
      status,
      body: { statusCode: status, code: `http.${statusCodeName(status)}`, message: [message].flat().join('; '), correlationId },
      unexpected: false,
    };
  }
  // An outage, not a bug: the client may retry, and nothing was written (each
  // unit of work is one transaction, which the outage rolled back).
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      body: { statusCode: 503, code: 'database.unavailable', message: 'The database is unavailable; retry later', correlationId },
      unexpected: false,
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  const framework = error as { statusCode?: number; code?: string; message?: string };
  if (typeof framework?.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
    const code = (framework.code && FRAMEWORK_CODES[framework.code]) ?? (error instanceof SyntaxError ? 'request.invalid_json' : `http.${statusCodeName(framework.statusCode)}`);
    return {
      status: framework.statusCode,
      body: { statusCode: framework.statusCode, code, message: framework.message ?? 'Bad request', correlationId },
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: { statusCode: 500, code: 'internal.error', message: 'Internal error; quote the correlation id when reporting it', correlationId },
    unexpected: true,
  };
}
