import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { AVATAR_PROVIDER, AvatarProvider } from '../providers/avatar-provider.port';
import type { AvatarEndReason, AvatarSession } from './avatar-session.entity';
import { ELAPSED_SECONDS } from './session-sql';

export interface SessionEnded {
  id: string;
  dealershipId: string;
  userId: string;
  reason: AvatarEndReason;
  secondsUsed: number;
}

interface EndedRow {
  id: string;
  dealership_id: string;
  user_id: string;
  provider_session_id: string | null;
  provider_handle: Record<string, string> | null;
  seconds_used: number;
}

/**
 * The one way a session ends, whoever ends it (the user, a limit, the sweep, the vendor):
 * one guarded UPDATE marks it ended with its reason and seconds used (so of two racing
 * enders exactly one wins), then the vendor session is stopped so it bills no more, and
 * listeners in this process (a /speak stream, the socket commands) are told.
 */
@Injectable()
export class SessionEndings {
  private readonly logger = new Logger(SessionEndings.name);
  private readonly events = new EventEmitter();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AVATAR_PROVIDER) private readonly provider: AvatarProvider | null,
  ) {
    this.events.setMaxListeners(0);
    // A vendor ending a session on its own (LITE socket closed) ends the row too.
    provider?.onDropped((providerSessionId, reason) => {
      void this.endWhere('provider_session_id = $1', [providerSessionId], reason as AvatarEndReason, false).catch((error: Error) =>
        this.logger.warn(`could not mark dropped session ${providerSessionId} ended: ${error.message}`),
      );
    });
  }

  /** Ends one session (of `dealershipId`, when given: callers acting for a tenant pass it). Returns what ended, or null when it had already. */
  async end(id: string, reason: AvatarEndReason, dealershipId?: string): Promise<SessionEnded | null> {
    const ended = dealershipId
      ? await this.endWhere('id = $1 AND dealership_id = $2', [id, dealershipId], reason, true)
      : await this.endWhere('id = $1', [id], reason, true);
    return ended[0] ?? null;
  }

  /** Calls `listener` when the session ends in this process (by anyone); returns the unsubscribe. */
  onEnded(sessionId: string, listener: (ended: SessionEnded) => void): () => void {
    this.events.on(sessionId, listener);
    return () => this.events.off(sessionId, listener);
  }

  private async endWhere(where: string, params: unknown[], reason: AvatarEndReason, stopAtVendor: boolean): Promise<SessionEnded[]> {
    const reasonParam = `$${params.length + 1}`;
    const [rows] = (await this.dataSource.query(
      `UPDATE avatar_sessions SET status = 'ended', ended_at = now(), end_reason = ${reasonParam}, seconds_used = ${ELAPSED_SECONDS},
              livekit_token = NULL
        WHERE ${where} AND status <> 'ended'
        RETURNING id, dealership_id, user_id, provider_session_id, provider_handle, seconds_used`,
      [...params, reason],
    )) as [EndedRow[], number];
    const ended: SessionEnded[] = [];
    for (const row of rows) {
      if (stopAtVendor && row.provider_session_id && row.provider_handle) await this.stopAtVendor(row);
      const event: SessionEnded = { id: row.id, dealershipId: row.dealership_id, userId: row.user_id, reason, secondsUsed: row.seconds_used };
      this.events.emit(row.id, event);
      ended.push(event);
    }
    return ended;
  }

  private async stopAtVendor(row: EndedRow): Promise<void> {
    try {
      await this.provider?.stop({ providerSessionId: row.provider_session_id!, handle: row.provider_handle! });
    } catch (error) {
      // The row stays ended; the vendor's own idle limit ends what it still runs.
      this.logger.warn(`avatar session ${row.id}: the vendor did not confirm the stop: ${(error as Error).message}`);
    }
  }
}

export type { AvatarSession };
