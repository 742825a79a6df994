import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { routeMetadata } from '@showroom/core';
import type { RequestWithPrincipal } from '../principal';
import type { Role } from '../roles';
import { AuthErrors } from '../tokens/auth-errors';
import { REQUIRED_ROLES } from './auth.decorators';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = routeMetadata<Role[]>(this.reflector, REQUIRED_ROLES, context);
    if (!roles) return true;
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
    if (principal?.kind !== 'user' || !roles.includes(principal.role)) throw AuthErrors.forbidden();
    return true;
  }
}
