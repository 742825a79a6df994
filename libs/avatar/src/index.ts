// The public face of @showroom/avatar: what other libs and the apps use.
export { AvatarModule } from './avatar.module';
export { AvatarHttpModule } from './avatar-http.module';
export { avatarConfig, type AvatarSettings } from './avatar.config';
export { avatarMigrations } from './migrations/index';
export { AvatarUsage, type AvatarUsageLine, type AvatarUsageReport } from './usage/avatar-usage';
