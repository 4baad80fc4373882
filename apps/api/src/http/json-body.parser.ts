import type { FastifyInstance } from 'fastify';
import { ApiError } from '@loupe/common';

/**
 * Replaces Fastify's JSON parser so that a malformed body is an ApiError with
 * a code: Nest rewraps Fastify's own parser errors as plain HttpExceptions,
 * which would lose it. Parsing refuses __proto__ keys, as Fastify's does.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(ApiError.badRequest('request.invalid_json', 'The body is empty but Content-Type is application/json'), undefined);
      return;
    }
    try {
      // A reviver costs a call per value (most of parsing a bulk body of thousands of events); it is
      // needed only when a __proto__ key can be there: spelled out, or hidden behind a \u escape.
      const risky = text.includes('__proto__') || text.includes('\\u');
      done(null, risky ? JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)) : JSON.parse(text));
    } catch (error) {
      done(ApiError.badRequest('request.invalid_json', `The body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}
