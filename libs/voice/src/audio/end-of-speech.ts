import { frameRms, SPEECH_RMS } from './speech-energy';

const FRAME_MS = 20;
/** Loud frames in a row that count as someone speaking (a click or a cough is shorter). */
const SPEECH_START_MS = 100;

/**
 * Server-side end-of-speech detection over streamed PCM16: speech starts after SPEECH_START_MS
 * of frames louder than SPEECH_RMS, and ends after `silenceMs` of quieter frames. An RMS
 * threshold, not a model: light enough to run on every frame of every turn, and the client's
 * voice.stop remains the precise signal (push-to-talk).
 */
export class EndOfSpeech {
  private readonly frameBytes: number;
  private carry = Buffer.alloc(0);
  private loudMs = 0;
  private quietMs = 0;
  heardSpeech = false;
  ended = false;

  constructor(sampleRate: number, private readonly silenceMs: number) {
    this.frameBytes = Math.round((sampleRate * FRAME_MS) / 1000) * 2;
  }

  /** Feeds samples; says when speech started or ended in them. */
  push(samples: Buffer): 'started' | 'ended' | undefined {
    let event: 'started' | 'ended' | undefined;
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, samples]) : samples;
    let offset = 0;
    for (; offset + this.frameBytes <= data.length; offset += this.frameBytes) {
      const loud = frameRms(data, offset, offset + this.frameBytes) >= SPEECH_RMS;
      this.loudMs = loud ? this.loudMs + FRAME_MS : 0;
      this.quietMs = loud ? 0 : this.quietMs + FRAME_MS;
      if (!this.heardSpeech && this.loudMs >= SPEECH_START_MS) {
        this.heardSpeech = true;
        event = 'started';
      } else if (this.heardSpeech && !this.ended && this.quietMs >= this.silenceMs) {
        this.ended = true;
        event = 'ended';
      }
    }
    data = data.subarray(offset);
    this.carry = Buffer.from(data);
    return event;
  }
}
