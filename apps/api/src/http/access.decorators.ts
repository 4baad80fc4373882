import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiErrorDto } from './api-error.dto';
import type { Principal, Role } from '@loupe/vocabulary';

export const ROLES_METADATA = 'loupe:roles';
export const PUBLIC_METADATA = 'loupe:public';

/** The roles allowed on a route. Routes without it (and not @Public) are refused to everyone. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_METADATA, roles),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or unknown API key (auth.missing_key, auth.invalid_key)' }),
    ApiForbiddenResponse({ type: ApiErrorDto, description: `Allowed roles: ${roles.join(', ')} (auth.forbidden_role)` }),
  );

export const Public = () => SetMetadata(PUBLIC_METADATA, true);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
