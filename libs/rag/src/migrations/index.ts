import { CreateDocuments1763800000000 } from './1763800000000-create-documents';

export const ragMigrations = [CreateDocuments1763800000000];
