import { CreateChat1764000000000 } from './1764000000000-create-chat';

export const chatMigrations = [CreateChat1764000000000];
