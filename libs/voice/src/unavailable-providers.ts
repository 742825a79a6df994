import { AUDIO_FORMATS, SPEECH_FORMATS } from './audio/audio-format';
import type { SpeechToText } from './speech-to-text/speech-to-text.port';
import type { TextToSpeech } from './text-to-speech/text-to-speech.port';
import { voiceErrors } from './voice-errors';

/** Stands in for a provider that is off or not installed: every call is 503 VOICE_NOT_CONFIGURED, saying why. */
export class UnavailableSpeechToText implements SpeechToText {
  readonly provider = 'none';
  readonly model = 'none';
  readonly formats = AUDIO_FORMATS;
  constructor(readonly reason: string) {}
  transcribe(): Promise<never> {
    return Promise.reject(voiceErrors.notConfigured('Speech-to-text', this.reason));
  }
}

export class UnavailableTextToSpeech implements TextToSpeech {
  readonly provider = 'none';
  readonly model = 'none';
  readonly formats = SPEECH_FORMATS;
  readonly defaultVoice = 'none';
  constructor(readonly reason: string) {}
  // eslint-disable-next-line require-yield -- fails before any audio
  async *synthesize(): AsyncGenerator<Buffer> {
    throw voiceErrors.notConfigured('Text-to-speech', this.reason);
  }
}

export const isUnavailable = (port: SpeechToText | TextToSpeech): port is UnavailableSpeechToText | UnavailableTextToSpeech =>
  port instanceof UnavailableSpeechToText || port instanceof UnavailableTextToSpeech;
