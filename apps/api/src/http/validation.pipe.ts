import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from '@loupe/common';

function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = `${prefix}${e.property}`;
    const own = Object.values(e.constraints ?? {});
    return [...(own.length ? [{ field, problems: own }] : []), ...flatten(e.children ?? [], `${field}.`)];
  });
}

const NUL = '\u0000';
/** Deeper than any body we accept; it only bounds the walk. */
const MAX_DEPTH = 32;

const join = (at: string, key: string | number) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key);

/** The path of the first string (or key) holding a NUL character, or null. */
function findNul(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? at : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], join(at, i), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  // Parsed bodies, multipart fields and query strings are plain objects, or
  // dictionaries without Object.prototype (Fastify's query string); anything
  // else (a staged file, a Date) was not sent as text by the client.
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== null && prototype !== Object.prototype && Object.getPrototypeOf(prototype) !== null) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes(NUL)) return join(at, key);
    const found = findNul(inner, join(at, key), depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Validates DTOs; unknown fields are refused, not silently dropped. Before
 * that, every text the client sent (JSON body, multipart fields, query string,
 * path parameters) is refused if it holds a NUL character: PostgreSQL cannot
 * store one in text, so it would otherwise surface as a 500 from the database.
 */
class LoupeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const found = findNul(value, metadata.data ?? '');
      if (found !== null) {
        const field = (found || metadata.type).replaceAll(NUL, '\\u0000');
        const problem = 'must not contain a NUL character (\\u0000)';
        throw ApiError.badRequest('request.invalid', `${field}: ${problem}`, { fields: [{ field, problems: [problem] }] });
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new LoupeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const unknown = fields.filter((f) => f.problems.some((p) => p.includes('should not exist'))).map((f) => f.field);
      return ApiError.badRequest(
        unknown.length > 0 ? 'request.unknown_field' : 'request.invalid',
        fields.map((f) => `${f.field}: ${f.problems.join(', ')}`).join('; '),
        { fields },
      );
    },
  });
}
