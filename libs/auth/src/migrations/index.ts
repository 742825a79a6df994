import { CreateIdentity1763790000000 } from './1763790000000-create-identity';

export const authMigrations = [CreateIdentity1763790000000];
