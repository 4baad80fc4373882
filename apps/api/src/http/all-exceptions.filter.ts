import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';

/** The one filter: every error leaves as an ApiErrorDto with a correlation id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, unexpected, retryAfterSeconds } = toErrorResponse(exception, String(request.id));
    if (unexpected) {
      this.logger.error(`${request.method} ${request.url} [${request.id}]`, (exception as Error)?.stack ?? String(exception));
    }
    if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
    void reply.status(status).header('x-request-id', String(request.id)).send(body);
  }
}
