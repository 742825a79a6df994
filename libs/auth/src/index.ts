// The public face of @showroom/auth: what other libs and the apps use.
export { AuthModule } from './auth.module';
export { AuthHttpModule } from './auth-http.module';
export { type DirectoryMember, IdentityDirectory } from './directory/identity-directory';
export { CurrentPrincipal, CurrentTenant, Public, Roles } from './guards/auth.decorators';
export { authMigrations } from './migrations/index';
export type { Principal, Tenant } from './principal';
export { ADMIN_ROLES, ROLES } from './roles';
export { handshakeRule, identityRules, identityTracker } from './rate-limit/throttlers';
export { InjectTenantRepositories } from './tenancy/inject-tenant-repositories.decorator';
export { provideTenantRepositories } from './tenancy/tenant-repository.provider';
export { TenantRepositories, TenantScopedRepository } from './tenancy/tenant-scoped.repository';
export { authConfig, type AuthSettings, type RateLimitSettings } from './auth.config';
