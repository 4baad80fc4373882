import { createHash } from 'node:crypto';
import { applyDecorators, CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, concatMap, from, Observable, of, throwError } from 'rxjs';
import type { StagedFile } from '@loupe/media';
import { IdempotencyService } from '@loupe/domain/idempotency';
import type { Principal } from '@loupe/vocabulary';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

type IdempotentRequest = FastifyRequest & { principal?: Principal; upload?: StagedFile };

/** JSON with object keys sorted, so that the same request always has the same fingerprint. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** What makes two requests "the same": method, path and query, body, and the uploaded bytes. */
function fingerprintOf(request: IdempotentRequest): string {
  const material = { method: request.method, url: request.url, body: canonical(request.body ?? null), file: request.upload?.sha256 ?? null };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

/**
 * Honours the Idempotency-Key header (see IdempotencyService). It runs after
 * the guard, which names the API key the key is scoped to, and after the
 * upload interceptor, so that the uploaded bytes are part of the fingerprint.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !request.principal) return next.handle();
    const start = await this.idempotency.begin(request.principal.id, key, fingerprintOf(request));
    if (start.kind === 'replay') {
      // The route's status code is the one stored: only successes are kept.
      void context.switchToHttp().getResponse<FastifyReply>().header(REPLAYED_HEADER, 'true');
      return of(JSON.parse(start.body) as unknown);
    }
    const statusCode = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    return next.handle().pipe(
      concatMap((value) => from(start.finish(statusCode, JSON.stringify(value ?? null)).then(() => value))),
      catchError((error: unknown) => from(start.abandon()).pipe(concatMap(() => throwError(() => error)))),
    );
  }
}

/**
 * Makes a POST route honour Idempotency-Key. On a route with an upload, put
 * it above @UseInterceptors(MediaUploadInterceptor): decorators apply bottom
 * up, and the upload must be read first.
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A unique key per logical request (e.g. a UUID), 1–255 printable ASCII characters. A repeat with the same key from the same API key ' +
        'gets the first response (same status and body, header Idempotent-Replayed: true) instead of acting twice. The same key with a ' +
        'different request is 422 idempotency.mismatch; a repeat while the first is still running is 409 idempotency.in_progress. Only ' +
        'successful responses are kept (for IDEMPOTENCY_RETENTION_SECONDS, a day by default); after a failure the key can be reused.',
    }),
  );
