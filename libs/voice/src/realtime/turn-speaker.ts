import { socketErrorEnvelope } from '@showroom/core';
import type { Tenant } from '@showroom/auth';
import type { SocketSession } from '@showroom/core';
import type { SpeechService } from '../text-to-speech/speech.service';

export interface TurnSpeakerOptions {
  session: SocketSession;
  tenant: Tenant;
  speech: SpeechService;
  turnId: string;
  requestId: string;
  voice?: string;
  maxChars: number;
  /** Aborts the speech at once (barge-in, disconnect). */
  signal: AbortSignal;
  onFirstAudio: () => void;
}

/**
 * Speaks a turn's answer sentence by sentence, in order, one sentence at a time, as binary
 * `voice.audio` frames `{ turnId, requestId, seq, sentence, audio }` (PCM16 mono 24 kHz; `seq`
 * counts frames across the turn from 0, so a client can order and spot gaps). A sentence that
 * cannot be synthesized ends the speech with one `error` event; the text answer goes on.
 */
export class TurnSpeaker {
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  private sentences = 0;
  private failed = false;

  constructor(private readonly options: TurnSpeakerOptions) {}

  say(sentence: string): void {
    const index = this.sentences++;
    this.chain = this.chain.then(() => this.speak(sentence, index));
  }

  /** Resolves when everything said so far has been sent (or the speech stopped). */
  finished(): Promise<void> {
    return this.chain;
  }

  get spokenSentences(): number {
    return this.sentences;
  }

  private async speak(sentence: string, index: number): Promise<void> {
    const { session, signal, turnId, requestId } = this.options;
    if (signal.aborted || this.failed) return;
    try {
      const stream = await this.options.speech.speak(this.options.tenant, { text: sentence.slice(0, this.options.maxChars), voice: this.options.voice, format: 'pcm' }, signal);
      try {
        for await (const audio of stream.audio) {
          if (signal.aborted) break;
          if (this.seq === 0) this.options.onFirstAudio();
          session.emit('voice.audio', { turnId, requestId, seq: this.seq++, sentence: index, audio });
        }
      } finally {
        await stream.audio.return(undefined);
      }
    } catch (error) {
      if (signal.aborted) return;
      this.failed = true;
      session.emit('error', { event: 'voice.audio', requestId, turnId, ...socketErrorEnvelope(error, requestId) });
    }
  }
}
