import { authMigrations } from '@showroom/auth';
import { avatarMigrations } from '@showroom/avatar';
import { chatMigrations } from '@showroom/chat';
import { coreMigrations } from '@showroom/core';
import { filesMigrations } from '@showroom/files';
import { ragMigrations } from '@showroom/rag';
import { voiceMigrations } from '@showroom/voice';

/**
 * Every lib's migrations, in the order they must run. Only this runner (a k8s Job, or
 * `npm run migrate`) applies them; the api and worker never change the schema.
 */
export const allMigrations = [...coreMigrations, ...authMigrations, ...filesMigrations, ...ragMigrations, ...chatMigrations, ...voiceMigrations, ...avatarMigrations];
