import { CreateBlobs1763795000000 } from './1763795000000-create-blobs';

export const filesMigrations = [CreateBlobs1763795000000];
