import { HttpException, HttpStatus } from '@nestjs/common';

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  correlationId?: string;
}

/**
 * Every error a client can see carries a stable, machine-readable `code`
 * (dotted, e.g. `media.truncated`) so integrations never parse messages.
 */
export class ApiError extends HttpException {
  /** Sent as Retry-After: when a dependency is down, clients should back off rather than hammer it. */
  retryAfterSeconds?: number;

  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super({ statusCode: status, code, message, ...(details ? { details } : {}) } satisfies ApiErrorBody, status);
  }

  static badRequest(code: string, message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, code, message, details);
  }

  static unauthorized(code: string, message: string): ApiError {
    return new ApiError(HttpStatus.UNAUTHORIZED, code, message);
  }

  static forbidden(code: string, message: string): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, code, message);
  }

  static notFound(code: string, message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, code, message, details);
  }

  static conflict(code: string, message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.CONFLICT, code, message, details);
  }

  static gone(code: string, message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.GONE, code, message, details);
  }

  static payloadTooLarge(code: string, message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, code, message, details);
  }

  static unsupportedMediaType(code: string, message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, code, message, details);
  }

  /** 503: a store Loupe depends on is unreachable; the request can be retried unchanged later. */
  static unavailable(code: string, message: string, retryAfterSeconds: number): ApiError {
    const error = new ApiError(HttpStatus.SERVICE_UNAVAILABLE, code, message);
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
  }

  static unprocessable(code: string, message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, details);
  }
}
