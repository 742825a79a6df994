import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { type ChatStreamEvent, type ChatUser, ConversationAnswers, ConversationsService } from '@showroom/chat';
import { APP_CONFIG, AppConfig, AppException, type SocketSession, socketErrorEnvelope } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { EndOfSpeech } from '../audio/end-of-speech';
import { encodeWav } from '../audio/wav';
import { TranscriptionService } from '../speech-to-text/transcription.service';
import { SpeechService } from '../text-to-speech/speech.service';
import { SpokenSentences } from '../text-to-speech/spoken-sentences';
import { VoiceMetrics } from '../voice-metrics';
import { voiceErrors } from '../voice-errors';
import { TurnSpeaker } from './turn-speaker';

/** The binary event microphone audio arrives on (client → server) and speech leaves on (server → client). */
export const AUDIO_EVENT = 'voice.audio';

type TurnState = 'listening' | 'answering' | 'done';

interface Turn {
  id: string;
  requestId: string;
  user: ChatUser;
  tenant: Tenant;
  conversationId: string;
  sampleRate: number;
  voice?: string;
  state: TurnState;
  frames: Buffer[];
  bytes: number;
  detector: EndOfSpeech;
  /** Aborted by voice.interrupt, barge-in or disconnect: stops transcription, answer forwarding and speech at once. */
  stop: AbortController;
  /** Aborted by voice.interrupt and barge-in only: the user asked the answer to stop, so its LLM call ends now. */
  interrupted: AbortController;
  endOfSpeechAt?: number;
}

const noTurn = () => new AppException(HttpStatus.CONFLICT, 'VOICE_NO_TURN', 'No spoken turn is listening on this connection; send voice.start first.');
const turnActive = () => new AppException(HttpStatus.CONFLICT, 'VOICE_TURN_ACTIVE', 'A spoken turn is already listening on this connection; send voice.stop or voice.interrupt first.');

/**
 * Spoken turns over the api's WebSocket. voice.start opens a turn for a conversation; binary
 * PCM16 frames (`voice.audio`) are collected until the client's voice.stop or VOICE_SILENCE_MS
 * of silence after speech; the audio is transcribed (`voice.transcript`), asked in the
 * conversation through chat's ConversationAnswers (the same stored messages, events, journal
 * and usage as chat.ask, so the answer is resumable with chat.resume), and the answer is spoken
 * sentence by sentence while it streams (TurnSpeaker); `voice.done` ends the turn.
 * voice.interrupt, or speech heard while the answer plays (barge-in), stops the answer's events
 * and speech at once; one turn listens per connection at a time.
 */
@Injectable()
export class SpokenTurns {
  private readonly logger = new Logger(SpokenTurns.name);
  private readonly turns = new WeakMap<SocketSession, Turn>();
  /** Connections already told that frames arrive with no turn listening: once until the next voice.start, not once per frame. */
  private readonly toldNoTurn = new WeakSet<SocketSession>();

  constructor(
    private readonly transcriptions: TranscriptionService,
    private readonly speech: SpeechService,
    private readonly answers: ConversationAnswers,
    private readonly conversations: ConversationsService,
    private readonly metrics: VoiceMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(session: SocketSession, user: ChatUser, tenant: Tenant, command: { conversationId: string; sampleRate: number; voice?: string }, requestId: string) {
    if (this.transcriptions.provider === 'none') throw voiceErrors.notConfigured('Speech-to-text', 'no provider is configured (VOICE_STT_PROVIDER)');
    if (this.speech.provider === 'none') throw voiceErrors.notConfigured('Text-to-speech', 'no provider is configured (VOICE_TTS_PROVIDER)');
    const current = this.turns.get(session);
    if (current?.state === 'listening') throw turnActive();
    // 404 for a conversation the caller cannot see, before any audio is taken.
    await this.conversations.get(user, tenant, command.conversationId);
    if (current?.state === 'answering') this.interrupt(session, current, 'barge-in');
    const turn = this.open(session, user, tenant, command, requestId);
    return { turnId: turn.id };
  }

  stop(session: SocketSession, turnId?: string) {
    const turn = this.current(session, turnId);
    if (turn.state !== 'listening') throw noTurn();
    this.endOfSpeech(session, turn);
    return { turnId: turn.id };
  }

  interruptCommand(session: SocketSession, turnId?: string) {
    const turn = this.turns.get(session);
    if (!turn || turn.state === 'done' || (turnId && turn.id !== turnId)) return { interrupted: false };
    this.interrupt(session, turn, 'client');
    return { interrupted: true, turnId: turn.id };
  }

  private open(session: SocketSession, user: ChatUser, tenant: Tenant, settings: { conversationId: string; sampleRate: number; voice?: string }, requestId: string): Turn {
    const turn: Turn = {
      id: randomUUID(),
      requestId,
      user,
      tenant,
      conversationId: settings.conversationId,
      sampleRate: settings.sampleRate,
      voice: settings.voice,
      state: 'listening',
      frames: [],
      bytes: 0,
      detector: new EndOfSpeech(settings.sampleRate, this.config.voice.silenceMs),
      stop: new AbortController(),
      interrupted: new AbortController(),
    };
    if (!this.turns.has(session)) {
      session.receiveBinary(AUDIO_EVENT, (frame) => this.onFrame(session, frame));
      // The connection is gone: whatever turn it had stops (an answer already asked is finished and stored by chat).
      session.closed.addEventListener('abort', () => this.turns.get(session)?.stop.abort(), { once: true });
    }
    this.turns.set(session, turn);
    this.toldNoTurn.delete(session);
    return turn;
  }

  private current(session: SocketSession, turnId?: string): Turn {
    const turn = this.turns.get(session);
    if (!turn || turn.state === 'done' || (turnId && turn.id !== turnId)) throw noTurn();
    return turn;
  }

  private onFrame(session: SocketSession, frame: Buffer): void {
    const turn = this.turns.get(session);
    if (!turn || turn.state === 'done') return this.refuse(session, turn, noTurn());
    if (frame.length % 2 !== 0) return this.fail(session, turn, voiceErrors.invalidAudio('a PCM16 frame must hold whole 16-bit samples (an even number of bytes)'));
    if (turn.state === 'answering') {
      // Barge-in: the speaker talks over the answer; it stops and what they say is the next turn.
      if (turn.detector.push(frame) !== 'started') return;
      this.interrupt(session, turn, 'barge-in');
      const next = this.open(session, turn.user, turn.tenant, turn, turn.requestId);
      session.emit('voice.listening', { turnId: next.id, requestId: next.requestId, after: turn.id });
      return this.onFrame(session, frame);
    }
    turn.frames.push(frame);
    turn.bytes += frame.length;
    const maxSeconds = this.config.voice.maxAudioSeconds;
    if (turn.bytes > maxSeconds * turn.sampleRate * 2) return this.fail(session, turn, voiceErrors.tooLong(turn.bytes / 2 / turn.sampleRate, maxSeconds));
    if (turn.detector.push(frame) === 'ended') this.endOfSpeech(session, turn);
  }

  private endOfSpeech(session: SocketSession, turn: Turn): void {
    turn.state = 'answering';
    turn.endOfSpeechAt = performance.now();
    // A fresh detector listens for barge-in while the answer plays.
    const heard = turn.detector.heardSpeech;
    turn.detector = new EndOfSpeech(turn.sampleRate, this.config.voice.silenceMs);
    void this.answer(session, turn, heard).catch((error: unknown) => this.fail(session, turn, error));
  }

  private async answer(session: SocketSession, turn: Turn, heardSpeech: boolean): Promise<void> {
    if (!heardSpeech) throw voiceErrors.noSpeech();
    const samples = Buffer.concat(turn.frames);
    turn.frames = [];
    const pcm = { sampleRate: turn.sampleRate, samples };
    const durationMs = Math.round((samples.length / 2 / turn.sampleRate) * 1000);
    const transcript = await this.transcriptions.transcribe(turn.tenant, { bytes: encodeWav(pcm), format: 'wav', pcm, durationMs }, undefined, turn.stop.signal);
    if (turn.stop.signal.aborted) return;
    if (!transcript.text.trim()) throw voiceErrors.noSpeech();
    session.emit('voice.transcript', { turnId: turn.id, requestId: turn.requestId, text: transcript.text, final: true });

    const speaker = new TurnSpeaker({
      session,
      tenant: turn.tenant,
      speech: this.speech,
      turnId: turn.id,
      requestId: turn.requestId,
      voice: turn.voice,
      maxChars: this.config.voice.speechMaxChars,
      signal: turn.stop.signal,
      onFirstAudio: () => this.metrics.turnFirstAudio.observe({ stt: this.transcriptions.provider, tts: this.speech.provider }, (performance.now() - turn.endOfSpeechAt!) / 1000),
    });
    const sentences = new SpokenSentences();
    let messageId: string | undefined;
    const answered = await this.answers.answer(turn.user, turn.tenant, turn.conversationId, transcript.text, {
      // A disconnect counts as the reader leaving (resumable for CHAT_RESUME_GRACE_MS, as chat.cancel);
      // an interrupt is the user saying "stop": the upstream call ends at once.
      clientGone: turn.stop.signal,
      stop: turn.interrupted.signal,
      onEvent: (event: ChatStreamEvent) => {
        if (turn.stop.signal.aborted) return;
        messageId ??= event.id.slice(0, event.id.lastIndexOf(':'));
        // The same payload as chat.ask: the SSE data plus id, conversation, message and request ids.
        session.emit(event.event, { id: event.id, conversationId: turn.conversationId, messageId, requestId: turn.requestId, ...(event.data as object) });
        if (event.event === 'token') for (const sentence of sentences.push((event.data as { delta: string }).delta)) speaker.say(sentence);
        if (event.event === 'done') for (const sentence of sentences.flush()) speaker.say(sentence);
      },
    });
    await speaker.finished();
    if (turn.stop.signal.aborted) return;
    turn.state = 'done';
    session.emit('voice.done', {
      turnId: turn.id,
      requestId: turn.requestId,
      messageId: answered.assistantMessage.id,
      status: answered.error ? 'failed' : 'completed',
      transcript: transcript.text,
      sentences: speaker.spokenSentences,
    });
  }

  private interrupt(session: SocketSession, turn: Turn, by: 'client' | 'barge-in'): void {
    if (turn.state === 'done') return;
    turn.state = 'done';
    turn.interrupted.abort();
    turn.stop.abort();
    session.emit('voice.done', { turnId: turn.id, requestId: turn.requestId, status: 'interrupted', by });
  }

  /** The turn cannot go on: one `error` event, then voice.done with status failed; nothing of it is stored unless chat already had the question. */
  private fail(session: SocketSession, turn: Turn, error: unknown): void {
    if (turn.state === 'done' || turn.stop.signal.aborted) return;
    turn.state = 'done';
    turn.stop.abort();
    if (!(error instanceof AppException)) this.logger.error(`spoken turn ${turn.id} failed`, error instanceof Error ? error.stack : String(error));
    session.emit('error', { event: AUDIO_EVENT, requestId: turn.requestId, turnId: turn.id, ...socketErrorEnvelope(error, turn.requestId) });
    session.emit('voice.done', { turnId: turn.id, requestId: turn.requestId, status: 'failed' });
  }

  private refuse(session: SocketSession, turn: Turn | undefined, error: AppException): void {
    if (this.toldNoTurn.has(session)) return;
    this.toldNoTurn.add(session);
    session.emit('error', { event: AUDIO_EVENT, requestId: turn?.requestId ?? randomUUID(), ...socketErrorEnvelope(error, turn?.requestId ?? randomUUID()) });
  }
}
