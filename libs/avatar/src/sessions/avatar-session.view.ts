import type { AvatarSession } from './avatar-session.entity';

/** A session as its user sees it: the browser's LiveKit credentials only, never the vendor's session token or ws_url. */
export interface AvatarSessionView {
  id: string;
  provider: string;
  mode: string;
  status: AvatarSession['status'];
  conversationId: string;
  livekitUrl: string | null;
  /** The browser's token for the LiveKit room; null once the session ended. */
  livekitToken: string | null;
  expiresAt: string;
  startedAt: string | null;
  lastActiveAt: string;
  endedAt: string | null;
  endReason: AvatarSession['endReason'];
  secondsUsed: number;
  createdAt: string;
}

export function avatarSessionView(row: AvatarSession): AvatarSessionView {
  const open = row.status !== 'ended';
  return {
    id: row.id,
    provider: row.provider,
    mode: row.mode,
    status: row.status,
    conversationId: row.conversationId,
    livekitUrl: open ? row.livekitUrl : null,
    livekitToken: open ? row.livekitToken : null,
    expiresAt: row.expiresAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    lastActiveAt: row.lastActiveAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: row.endReason,
    secondsUsed: row.secondsUsed,
    createdAt: row.createdAt.toISOString(),
  };
}
