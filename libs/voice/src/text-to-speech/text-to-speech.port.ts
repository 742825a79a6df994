import type { SpeechFormat } from '../audio/audio-format';

export interface SpeechRequest {
  text: string;
  voice: string;
  format: SpeechFormat;
  signal?: AbortSignal;
}

/**
 * Text to speech, streamed: chunks come as the provider produces them (`pcm` is PCM16 mono at
 * PCM_SAMPLE_RATE; `wav` starts with a streamed header). Failures before the first chunk are
 * real errors the caller can answer with a status; later ones end the stream.
 */
export interface TextToSpeech {
  readonly provider: string;
  readonly model: string;
  readonly formats: readonly SpeechFormat[];
  readonly defaultVoice: string;
  /** Voices a request may name; undefined when the provider knows more than we can list (any id is passed on). */
  readonly voices?: readonly string[];
  synthesize(request: SpeechRequest): AsyncIterable<Buffer>;
}

export const TEXT_TO_SPEECH = Symbol('TEXT_TO_SPEECH');
