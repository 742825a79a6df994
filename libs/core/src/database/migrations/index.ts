import { CreateOutbox1763785000000 } from './1763785000000-create-outbox';

/** Core's migrations, in order. Each domain lib exports its own list; apps/migrate runs them all. */
export const coreMigrations = [CreateOutbox1763785000000];
