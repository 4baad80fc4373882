import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from '@loupe/common';

function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = `${prefix}${e.property}`;
    const own = Object.values(e.constraints ?? {});
    return [...(own.length ? [{ field, problems: own }] : []), ...flatten(e.children ?? [], `${field}.`)];
  });
}

/** Validates DTOs; unknown fields are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
