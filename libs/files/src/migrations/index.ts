import { CreateBlobs1763795000000 } from './1763795000000-create-blobs';
import { CreateBlobParts1764300000000 } from './1764300000000-create-blob-parts';

export const filesMigrations = [CreateBlobs1763795000000, CreateBlobParts1764300000000];
