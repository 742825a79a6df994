import { CreateDocuments1763800000000 } from './1763800000000-create-documents';
import { CreateVectorTombstones1763900000000 } from './1763900000000-create-vector-tombstones';
import { PersistPostings1764410000000 } from './1764410000000-persist-postings';

export const ragMigrations = [CreateDocuments1763800000000, CreateVectorTombstones1763900000000, PersistPostings1764410000000];
