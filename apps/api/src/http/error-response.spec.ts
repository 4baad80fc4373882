import { NotFoundException } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('keeps the code and details of an ApiError', () => {
    const response = toErrorResponse(ApiError.conflict('review.lease_expired', 'expired', { taskId: 't' }), 'corr-1');
    expect(response).toEqual({
      status: 409,
      body: { statusCode: 409, code: 'review.lease_expired', message: 'expired', details: { taskId: 't' }, correlationId: 'corr-1' },
      unexpected: false,
    });
  });

  it('carries the Retry-After of an unavailable store', () => {
    expect(toErrorResponse(ApiError.unavailable('queue.unavailable', 'down', 5), 'c')).toMatchObject({ status: 503, headers: { 'retry-after': '5' }, body: { code: 'queue.unavailable' } });
  });

  it('gives Nest exceptions a code from their status', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x'), 'c').body).toMatchObject({ code: 'http.not_found', message: 'Cannot GET /x' });
  });

  it('maps Fastify plugin errors by their code', () => {
    const tooLarge = Object.assign(new Error('request file too large'), { statusCode: 413, code: 'FST_REQ_FILE_TOO_LARGE' });
    expect(toErrorResponse(tooLarge, 'c')).toMatchObject({ status: 413, body: { code: 'upload.too_large' } });
  });

  it('hides unknown errors behind a 500 with the correlation id', () => {
    const response = toErrorResponse(new Error('connection string postgres://secret@db'), 'corr-2');
    expect(response).toEqual({
      status: 500,
      body: { statusCode: 500, code: 'internal.error', message: expect.not.stringContaining('secret'), correlationId: 'corr-2' },
      unexpected: true,
    });
  });

  it('answers 503 database.unavailable with Retry-After when PostgreSQL cannot be reached', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const response = toErrorResponse(new Error('Failed query: select 1', { cause: shutdown }), 'c');
    expect(response).toMatchObject({ status: 503, body: { code: 'database.unavailable' }, unexpected: false, headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
  });
});
