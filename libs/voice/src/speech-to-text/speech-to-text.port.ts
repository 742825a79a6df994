import type { Tenant } from '@showroom/auth';
import type { AudioFormat } from '../audio/audio-format';
import type { AudioClip } from '../audio/inspect-audio';

export interface TranscriptionRequest {
  tenant: Tenant;
  audio: AudioClip;
  /** ISO-639-1, when the caller knows it. */
  language?: string;
  signal?: AbortSignal;
}

export interface Transcription {
  text: string;
  language: string | null;
  durationMs: number;
}

/** Speech to text. An adapter states the containers it takes; others get 415 naming them. */
export interface SpeechToText {
  readonly provider: string;
  readonly model: string;
  readonly formats: readonly AudioFormat[];
  transcribe(request: TranscriptionRequest): Promise<Transcription>;
}

export const SPEECH_TO_TEXT = Symbol('SPEECH_TO_TEXT');
