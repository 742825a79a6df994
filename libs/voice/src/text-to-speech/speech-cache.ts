import { createHash } from 'node:crypto';

export interface SpeechKey {
  dealershipId: string;
  provider: string;
  model: string;
  voice: string;
  format: string;
  text: string;
}

/**
 * Synthesized speech kept in memory, least recently used dropped first, bounded in bytes:
 * the same text in the same voice and format is paid for once (greetings, "I don't know",
 * answers read aloud twice). Keyed per dealership, so a hit's timing tells nobody what another
 * dealership had spoken. One entry holds at most an eighth of the budget.
 */
export class SpeechCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  static keyOf(key: SpeechKey): string {
    return createHash('sha256').update(JSON.stringify([key.dealershipId, key.provider, key.model, key.voice, key.format, key.text])).digest('base64url');
  }

  get(key: string): Buffer | undefined {
    const audio = this.entries.get(key);
    if (audio) {
      this.entries.delete(key);
      this.entries.set(key, audio);
    }
    return audio;
  }

  /** Whether audio of this size would be kept (callers stop collecting beyond it). */
  fits(bytes: number): boolean {
    return bytes <= this.maxBytes / 8;
  }

  set(key: string, audio: Buffer): void {
    if (!this.fits(audio.length) || this.entries.has(key)) return;
    this.entries.set(key, audio);
    this.bytes += audio.length;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.length;
    }
  }

  get sizeBytes(): number {
    return this.bytes;
  }
}
