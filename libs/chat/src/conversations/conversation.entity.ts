import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One chat thread of one user, in one dealership. */
@Entity({ name: 'conversations' })
export class Conversation {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  /** The user who started it; staff see only their own (see conversation-access.ts). */
  @Column('uuid', { name: 'user_id' })
  userId: string;

  /** Null until named by the caller or by the first user message. */
  @Column('text', { nullable: true })
  title: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Last activity: every message written bumps it. */
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
