import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A blob kept in Postgres (the default storage): fine up to the upload limit, no extra service. */
@Entity({ name: 'blobs' })
export class StoredBlob {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('text', { name: 'content_type' })
  contentType: string;

  @Column('int', { name: 'size_bytes' })
  sizeBytes: number;

  /** The bytes of a blob written whole; NULL for a streamed one, whose bytes are its blob_parts. */
  @Column('bytea', { select: false, nullable: true })
  data: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
