import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A passage of a document, as chunked by one ingestion generation. The id is derived from
 * (document, generation, index), so a job that runs twice writes the same rows again.
 */
@Entity({ name: 'document_chunks' })
export class DocumentChunkRow {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('uuid', { name: 'document_id' })
  documentId: string;

  @Column('int')
  generation: number;

  @Column('int', { name: 'chunk_index' })
  chunkIndex: number;

  @Column('text')
  text: string;

  @Column('int', { nullable: true })
  page: number | null;

  @Column('text', { name: 'heading_path', array: true, default: () => "'{}'" })
  headingPath: string[];

  @Column('int', { name: 'token_count' })
  tokenCount: number;

  /** Null until embedded; read only by the vector search. */
  @Column('bytea', { nullable: true, select: false })
  embedding: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
