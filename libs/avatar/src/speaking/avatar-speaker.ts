import { Injectable, Logger } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { type ChatStreamEvent, ConversationAnswers } from '@showroom/chat';
import { AppException, RedisConnections, RequestContext, errorEnvelope, mapError } from '@showroom/core';
import { SpokenSentences } from '@showroom/voice';
import { randomUUID } from 'node:crypto';
import type { ClientCommand } from '../providers/avatar-provider.port';
import { ProviderSessionGone } from '../providers/provider-errors';
import { AvatarSessions, AvatarUser, OwnedSession } from '../sessions/avatar-sessions.service';
import { SessionEndings } from '../sessions/session-endings';

/** An avatar event beside chat's: what the avatar was asked to say, and how the turn ended. */
export interface AvatarStreamEvent {
  event: 'avatar.speaking' | 'avatar.interrupted' | 'avatar.ended' | 'avatar.error' | 'avatar.done';
  data: Record<string, unknown>;
}

export type SpeakEvent = ChatStreamEvent | AvatarStreamEvent;

export interface SpokenTurn {
  turnId: string;
  userMessage: unknown;
  assistantMessage: unknown;
  /** Exactly the sentences the avatar was asked to say, in order. */
  spoken: string[];
  error?: AppException;
}

/** How long an interrupt marker lives: longer than any one answer. */
const INTERRUPT_TTL_SECONDS = 600;

/**
 * A question asked through the avatar: chat's ConversationAnswers produces and stores the
 * grounded answer exactly as for typed chat (same events, same journal, same usage), and
 * each sentence is handed to the avatar as soon as it is complete, in order, one at a time.
 * The avatar says nothing else: no greeting, no filler, no partial sentence of a failed answer.
 */
@Injectable()
export class AvatarSpeaker {
  private readonly logger = new Logger(AvatarSpeaker.name);

  constructor(
    private readonly sessions: AvatarSessions,
    private readonly endings: SessionEndings,
    private readonly answers: ConversationAnswers,
    private readonly redis: RedisConnections,
  ) {}

  async speak(
    user: AvatarUser,
    tenant: Tenant,
    sessionId: string,
    content: string,
    options: { onEvent?: (event: SpeakEvent) => void; clientGone?: AbortSignal } = {},
  ): Promise<SpokenTurn> {
    const session = await this.sessions.open(user, tenant, sessionId, true);
    const turn = { id: randomUUID(), startedAt: Date.now() };
    const emit = (event: SpeakEvent) => options.onEvent?.(event);
    const sentences = new SpokenSentences();
    const spoken: string[] = [];
    let stopped: 'interrupted' | 'ended' | 'failed' | undefined;
    let queue: Promise<void> = Promise.resolve();

    const say = (text: string) => {
      queue = queue.then(async () => {
        if (stopped) return;
        if (await this.interruptedSince(sessionId, turn.startedAt)) {
          stopped = 'interrupted';
          emit({ event: 'avatar.interrupted', data: { sessionId, turnId: turn.id } });
          return;
        }
        try {
          const action = await session.provider.speak(session.vendor, text, { id: turn.id, tenant });
          spoken.push(text);
          emit({ event: 'avatar.speaking', data: { sessionId, turnId: turn.id, index: spoken.length - 1, text, ...clientCommand(action.clientCommand) } });
        } catch (error) {
          stopped = error instanceof ProviderSessionGone ? 'ended' : 'failed';
          await this.speakingFailed(session, tenant, error, emit);
        }
      });
    };

    const unsubscribe = this.endings.onEnded(sessionId, (ended) => {
      stopped ??= 'ended';
      emit({ event: 'avatar.ended', data: { sessionId, reason: ended.reason } });
    });
    try {
      const answered = await this.answers.answer(user, tenant, session.row.conversationId, content, {
        clientGone: options.clientGone,
        onEvent: (event) => {
          emit(event);
          if (event.event === 'token') for (const sentence of sentences.push((event.data as { delta: string }).delta)) say(sentence);
        },
      });
      // A failed or interrupted answer is not finished aloud: its last words may be half a sentence.
      if (!answered.error) for (const sentence of sentences.flush()) say(sentence);
      await queue;
      if (!stopped || stopped === 'interrupted') await session.provider.endTurn(session.vendor, { id: turn.id, tenant }).catch(() => undefined);
      emit({ event: 'avatar.done', data: { sessionId, turnId: turn.id, sentences: spoken.length, stopped: stopped ?? null } });
      return { turnId: turn.id, userMessage: answered.userMessage, assistantMessage: answered.assistantMessage, spoken, error: answered.error };
    } finally {
      unsubscribe();
    }
  }

  /** Stops the avatar now and drops the rest of the turn being said (on any pod: the marker is in Redis). */
  async interrupt(user: AvatarUser, tenant: Tenant, sessionId: string): Promise<{ interrupted: true; clientCommand?: ClientCommand }> {
    const session = await this.sessions.open(user, tenant, sessionId);
    await this.redis.shared.set(this.interruptKey(sessionId), String(Date.now()), 'EX', INTERRUPT_TTL_SECONDS);
    try {
      const action = await session.provider.interrupt(session.vendor);
      return { interrupted: true, ...clientCommand(action.clientCommand) };
    } catch (error) {
      return this.sessions.onVendorError(session, tenant, error);
    }
  }

  private async interruptedSince(sessionId: string, since: number): Promise<boolean> {
    const at = await this.redis.shared.get(this.interruptKey(sessionId)).catch(() => null);
    return at !== null && Number(at) >= since;
  }

  private interruptKey(sessionId: string): string {
    return this.redis.key('avatar', 'interrupt', sessionId);
  }

  private async speakingFailed(session: OwnedSession, tenant: Tenant, error: unknown, emit: (event: SpeakEvent) => void): Promise<void> {
    if (error instanceof ProviderSessionGone) {
      this.logger.warn(`avatar session ${session.row.id}: ${error.message}`);
      // SessionEndings tells this turn (avatar.ended) through onEnded.
      await this.endings.end(session.row.id, 'provider_dropped', tenant.dealershipId);
      return;
    }
    const mapped = mapError(error, 0);
    if (mapped.unexpected) this.logger.error(`avatar session ${session.row.id}: speaking failed: ${(error as Error).stack ?? String(error)}`);
    const message = mapped.unexpected ? 'The avatar could not say the answer.' : mapped.message;
    emit({ event: 'avatar.error', data: errorEnvelope(mapped.code, message, RequestContext.requestId()) as unknown as Record<string, unknown> });
  }
}

const clientCommand = (command: ClientCommand | undefined) => (command ? { clientCommand: command } : {});
