import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { INFRASTRUCTURE_ROUTE } from '@showroom/core';
import type { Principal, RequestWithPrincipal } from '../principal';
import { AuthErrors } from '../tokens/auth-errors';
import { PUBLIC_ROUTE } from './auth.decorators';

/**
 * Global guard: every api route needs a valid access token or API key unless marked
 * @Public() or @InfrastructureRoute(). The principal lands on `req.principal`.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['jwt', 'api-key']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(INFRASTRUCTURE_ROUTE, targets)) return true;
    return super.canActivate(context);
  }

  override handleRequest<T = Principal>(error: unknown, principal: T | false, info: unknown, context: ExecutionContext): T {
    if (error) throw error;
    if (principal) {
      context.switchToHttp().getRequest<RequestWithPrincipal>().principal = principal as unknown as Principal;
      return principal;
    }
    const reasons = Array.isArray(info) ? info : [info];
    // passport-jwt passes jsonwebtoken's TokenExpiredError as `info`.
    if (reasons.some((reason) => (reason as Error | undefined)?.name === 'TokenExpiredError')) throw AuthErrors.tokenExpired();
    throw AuthErrors.unauthenticated();
  }
}
