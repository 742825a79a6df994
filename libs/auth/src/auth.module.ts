import { Module, Type } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyAuthenticator } from './api-keys/api-key-authenticator';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditEventsService, DealershipAuditEvent } from './audit/audit-events.service';
import { AuditLog } from './audit/audit-log';
import { AuthService } from './auth/auth.service';
import { IdentityDirectory } from './directory/identity-directory';
import { ApiKey } from './entities/api-key.entity';
import { AuditEvent } from './entities/audit-event.entity';
import { Dealership } from './entities/dealership.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { User } from './entities/user.entity';
import { RecentlyVerifiedUsers } from './guards/recently-verified-users';
import { PasswordHasher } from './passwords/password-hasher';
import { provideTenantRepositories } from './tenancy/tenant-repository.provider';
import { AccessTokens } from './tokens/access-tokens';
import { RefreshTokens } from './tokens/refresh-tokens';
import { UsersService } from './users/users.service';

/**
 * Identity and tenancy: dealerships, users, tokens, API keys, audit log. No HTTP here; the
 * api mounts AuthHttpModule, the worker needs only this.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Dealership, User, RefreshToken, ApiKey, AuditEvent]), JwtModule.register({})],
  providers: [
    AccessTokens,
    RefreshTokens,
    PasswordHasher,
    AuditLog,
    AuthService,
    ApiKeysService,
    ApiKeyAuthenticator,
    UsersService,
    provideTenantRepositories(User),
    provideTenantRepositories(ApiKey),
    provideTenantRepositories(AuditEvent as Type<DealershipAuditEvent>),
    AuditEventsService,
    IdentityDirectory,
    RecentlyVerifiedUsers,
  ],
  exports: [RecentlyVerifiedUsers, AccessTokens, AuditLog, AuditEventsService, AuthService, IdentityDirectory, ApiKeysService, ApiKeyAuthenticator, PasswordHasher, UsersService, TypeOrmModule],
})
export class AuthModule {}
