import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Principal, RequestWithPrincipal, Tenant } from '../principal';
import type { Role } from '../roles';

export const PUBLIC_ROUTE = 'showroom:public-route';
export const REQUIRED_ROLES = 'showroom:required-roles';

/** No credentials needed (sign-up, sign-in, refresh). Still rate limited per IP. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only signed-in users with one of these roles; API keys are refused (403). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});

/** The caller's dealership, from the verified token or key (never from the request body). */
export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): Tenant => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('CurrentTenant used on a route without authentication');
  return { dealershipId: principal.dealershipId };
});

export const ClientIp = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<RequestWithPrincipal>().ip);
