/** The formats the knowledge base ingests. Anything else is refused at upload (415). */
export const DOCUMENT_TYPES = ['pdf', 'docx', 'xlsx', 'csv', 'html', 'markdown', 'text'] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number];
