import { CreateAvatarSessions1764200000000 } from './1764200000000-create-avatar-sessions';

export const avatarMigrations = [CreateAvatarSessions1764200000000];
