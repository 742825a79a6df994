import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ProviderHandle } from '../providers/avatar-provider.port';

/** `starting` while the vendor sets it up, `active` while it can speak, `ended` for good (see `endReason`). */
export const AVATAR_SESSION_STATUSES = ['starting', 'active', 'ended'] as const;
export type AvatarSessionStatus = (typeof AVATAR_SESSION_STATUSES)[number];

/**
 * Why a session ended: the user (`client_stopped`), our limits (`idle`, `max_duration`,
 * `quota_exhausted`), the client vanishing (`client_gone`), the vendor (`provider_*`), or a
 * start that failed (`start_failed`).
 */
export type AvatarEndReason =
  | 'client_stopped'
  | 'idle'
  | 'max_duration'
  | 'client_gone'
  | 'quota_exhausted'
  | 'provider_closed'
  | 'provider_closing'
  | 'provider_dropped'
  | 'start_failed';

/** One talking-avatar session of one user. The row is the truth; the sweep acts on it from any process. */
@Entity({ name: 'avatar_sessions' })
export class AvatarSession {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('uuid', { name: 'conversation_id' })
  conversationId: string;

  @Column('text')
  provider: string;

  @Column('text')
  mode: string;

  @Column('text')
  status: AvatarSessionStatus;

  @Column('text', { name: 'provider_session_id', nullable: true })
  providerSessionId: string | null;

  /** The vendor's per-session token (and LITE ws_url): server-side only, never in a view. */
  @Column('jsonb', { name: 'provider_handle', nullable: true })
  providerHandle: ProviderHandle | null;

  @Column('text', { name: 'livekit_url', nullable: true })
  livekitUrl: string | null;

  @Column('text', { name: 'livekit_token', nullable: true })
  livekitToken: string | null;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  /** The last time the avatar was asked to speak (the idle timeout counts from here). */
  @Column('timestamptz', { name: 'last_active_at' })
  lastActiveAt: Date;

  /** The last time the client showed itself (the client timeout counts from here). */
  @Column('timestamptz', { name: 'client_seen_at' })
  clientSeenAt: Date;

  @Column('timestamptz', { name: 'keep_alive_at', nullable: true })
  keepAliveAt: Date | null;

  /** When the session must end at the latest (our maximum duration, or the vendor's if shorter). */
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt: Date | null;

  @Column('text', { name: 'end_reason', nullable: true })
  endReason: AvatarEndReason | null;

  @Column('int', { name: 'seconds_used', default: 0 })
  secondsUsed: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
