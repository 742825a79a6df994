import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, HandlesJob } from '@showroom/core';
import { DataSource } from 'typeorm';
import { AVATAR_PROVIDER, AvatarProvider } from '../providers/avatar-provider.port';
import { ProviderSessionGone } from '../providers/provider-errors';
import type { AvatarEndReason } from '../sessions/avatar-session.entity';
import { SessionEndings } from '../sessions/session-endings';
import { USAGE_THIS_MONTH } from '../sessions/session-sql';
import { SweepAvatarSessionsJob } from './avatar-maintenance.jobs';

interface Overdue {
  id: string;
  reason: AvatarEndReason;
}

interface DueForKeepAlive {
  id: string;
  provider_session_id: string;
  provider_handle: Record<string, string>;
}

export interface SweepResult {
  ended: Record<string, number>;
  keptAlive: number;
}

/**
 * The guarantee that nothing bills after the user left. Sessions live in the vendor's cloud,
 * not in a pod, so this runs from the worker on the rows alone: a pod that died mid-session,
 * a browser closed without DELETE, a start that never finished, all end here.
 *
 * - `max_duration`: past expiresAt; `idle`: nothing said for AVATAR_IDLE_TIMEOUT_SECONDS;
 *   `client_gone`: the client has not shown itself for AVATAR_CLIENT_TIMEOUT_SECONDS;
 *   `quota_exhausted`: the dealership's minutes for the month are used up;
 *   `start_failed`: still `starting` long after any vendor call would have timed out.
 * - Every other active session gets the vendor's keep-alive every AVATAR_KEEPALIVE_SECONDS
 *   (LiveAvatar drops sessions after 5 idle minutes); one the vendor no longer knows is
 *   ended as `provider_dropped`.
 */
@Injectable()
export class AvatarSessionSweep {
  private readonly logger = new Logger(AvatarSessionSweep.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AVATAR_PROVIDER) private readonly provider: AvatarProvider | null,
    private readonly endings: SessionEndings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @HandlesJob(SweepAvatarSessionsJob, { repeat: { everyMs: (config) => config.avatar.sweepIntervalMs, payload: {} } })
  async sweep(): Promise<SweepResult> {
    const ended: Record<string, number> = {};
    for (const session of await this.overdue()) {
      if (await this.endings.end(session.id, session.reason)) ended[session.reason] = (ended[session.reason] ?? 0) + 1;
    }
    const keptAlive = await this.keepAlive(ended);
    if (Object.keys(ended).length > 0) this.logger.log(`ended avatar sessions: ${JSON.stringify(ended)}`);
    return { ended, keptAlive };
  }

  private async overdue(): Promise<Overdue[]> {
    const a = this.config.avatar;
    // Longer than the vendor calls of a start can take (each with its timeout and retries).
    const startLimitSeconds = Math.ceil(((this.config.providers.maxRetries + 1) * 3 * this.config.providers.timeoutMs) / 1000) + 30;
    return (await this.dataSource.query(
      `WITH usage AS (${USAGE_THIS_MONTH})
       SELECT s.id,
              CASE WHEN s.status = 'starting' THEN 'start_failed'
                   WHEN s.expires_at <= now() THEN 'max_duration'
                   WHEN u.seconds >= $5 THEN 'quota_exhausted'
                   WHEN s.client_seen_at < now() - make_interval(secs => $4) THEN 'client_gone'
                   ELSE 'idle' END AS reason
         FROM avatar_sessions s LEFT JOIN usage u ON u.dealership_id = s.dealership_id
        WHERE s.status <> 'ended'
          AND ((s.status = 'starting' AND s.created_at < now() - make_interval(secs => $2))
               OR (s.status = 'active' AND (s.expires_at <= now()
                                            OR s.last_active_at < now() - make_interval(secs => $3)
                                            OR s.client_seen_at < now() - make_interval(secs => $4)
                                            OR u.seconds >= $5)))`,
      // $1 NULL: the usage of every dealership.
      [null, startLimitSeconds, a.idleTimeoutSeconds, a.clientTimeoutSeconds, a.monthlyMinutes * 60],
    )) as Overdue[];
  }

  private async keepAlive(ended: Record<string, number>): Promise<number> {
    if (!this.provider) return 0;
    const due = (await this.dataSource.query(
      `SELECT id, provider_session_id, provider_handle FROM avatar_sessions
        WHERE status = 'active' AND COALESCE(keep_alive_at, started_at) < now() - make_interval(secs => $1)`,
      // Sent a sweep early, so the vendor hears from us before AVATAR_KEEPALIVE_SECONDS has passed.
      [Math.max(0, this.config.avatar.keepAliveSeconds - this.config.avatar.sweepIntervalMs / 1000)],
    )) as DueForKeepAlive[];
    let kept = 0;
    for (const session of due) {
      try {
        await this.provider.keepAlive({ providerSessionId: session.provider_session_id, handle: session.provider_handle });
        await this.dataSource.query(`UPDATE avatar_sessions SET keep_alive_at = now() WHERE id = $1 AND status = 'active'`, [session.id]);
        kept += 1;
      } catch (error) {
        if (error instanceof ProviderSessionGone) {
          if (await this.endings.end(session.id, 'provider_dropped')) ended.provider_dropped = (ended.provider_dropped ?? 0) + 1;
        } else {
          // The next sweep tries again; the vendor's idle limit is longer than one sweep interval.
          this.logger.warn(`avatar session ${session.id}: keep-alive failed: ${(error as Error).message}`);
        }
      }
    }
    return kept;
  }
}
