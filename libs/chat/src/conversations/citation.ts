/** A passage an answer relied on, as DESIGN.md shapes it for every client. */
export interface Citation {
  documentId: string;
  documentTitle: string;
  chunkId: string;
  page: number | null;
  snippet: string;
}
