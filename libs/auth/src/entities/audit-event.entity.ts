import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Who did what to what, when, in which dealership, on which request. Append-only. */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryColumn('uuid')
  id: string;

  /** Null only for events that belong to no dealership (a failed sign-in for an unknown email). */
  @Column('uuid', { name: 'dealership_id', nullable: true })
  dealershipId: string | null;

  @Column('text', { name: 'actor_type' })
  actorType: 'user' | 'api_key' | 'anonymous';

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text')
  action: string;

  @Column('text', { name: 'target_type', nullable: true })
  targetType: string | null;

  @Column('text', { name: 'target_id', nullable: true })
  targetId: string | null;

  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  @Column('text', { nullable: true })
  ip: string | null;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  metadata: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
