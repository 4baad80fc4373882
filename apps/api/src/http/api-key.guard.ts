import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '@loupe/common';
import { ApiKeyService } from '@loupe/domain/auth';
import { PUBLIC_METADATA, ROLES_METADATA } from './access.decorators';
import { Principal, type Role } from '@loupe/vocabulary';

/**
 * Authenticates the x-api-key header and checks the route's roles. Closed by
 * default: a route that declares no roles is open to nobody.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: Principal }>();
    const header = request.headers['x-api-key'];
    const secret = Array.isArray(header) ? header[0] : header;
    if (!secret) throw ApiError.unauthorized('auth.missing_key', 'Send an API key in the x-api-key header');
    const principal = await this.keys.authenticate(secret);
    if (!principal) throw ApiError.unauthorized('auth.invalid_key', 'The API key is unknown or revoked');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets) ?? [];
    if (!roles.includes(principal.role)) {
      throw ApiError.forbidden('auth.forbidden_role', `This route needs one of the roles: ${roles.join(', ') || 'none'}`);
    }
    request.principal = principal;
    return true;
  }
}
