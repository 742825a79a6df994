import { CreateChat1764000000000 } from './1764000000000-create-chat';
import { CreateExports1764100000000 } from './1764100000000-create-exports';

export const chatMigrations = [CreateChat1764000000000, CreateExports1764100000000];
