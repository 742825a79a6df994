import { CreateDocuments1763800000000 } from './1763800000000-create-documents';
import { CreateVectorTombstones1763900000000 } from './1763900000000-create-vector-tombstones';

export const ragMigrations = [CreateDocuments1763800000000, CreateVectorTombstones1763900000000];
