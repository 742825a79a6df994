import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@showroom/core';
import { findProgram, pocketsphinxModelInstalled } from './local/local-programs';
import { LocalSpeechToText } from './speech-to-text/local-speech-to-text';
import { OpenAiSpeechToText } from './speech-to-text/openai-speech-to-text';
import { SPEECH_TO_TEXT, type SpeechToText } from './speech-to-text/speech-to-text.port';
import { ElevenLabsTextToSpeech } from './text-to-speech/elevenlabs-text-to-speech';
import { LocalTextToSpeech } from './text-to-speech/local-text-to-speech';
import { OpenAiTextToSpeech } from './text-to-speech/openai-text-to-speech';
import { TEXT_TO_SPEECH, type TextToSpeech } from './text-to-speech/text-to-speech.port';
import { UnavailableSpeechToText, UnavailableTextToSpeech } from './unavailable-providers';
import { DealershipVocabulary } from './vocabulary/dealership-vocabulary';

/** The adapter VOICE_STT_PROVIDER names (config validation ensures keys for hosted ones). */
export function createSpeechToText(config: AppConfig, vocabulary: Pick<DealershipVocabulary, 'filesFor'>): SpeechToText {
  const voice = config.voice;
  const limits = { firstByteTimeoutMs: voice.firstByteTimeoutMs, timeoutMs: voice.timeoutMs, maxRetries: voice.maxRetries };
  if (voice.sttProvider === 'off') return new UnavailableSpeechToText('speech-to-text is turned off (VOICE_STT_PROVIDER=off)');
  if (voice.sttProvider === 'openai') return new OpenAiSpeechToText({ ...limits, apiKey: voice.openai.apiKey!, baseUrl: voice.openai.baseUrl, model: voice.openai.sttModel });
  const pocketsphinx = findProgram('pocketsphinx_continuous');
  const sox = findProgram('sox');
  if (!pocketsphinx || !pocketsphinxModelInstalled() || !sox) {
    return new UnavailableSpeechToText('the local recogniser needs the Debian packages pocketsphinx, pocketsphinx-en-us and sox (or set VOICE_STT_PROVIDER=openai)');
  }
  return new LocalSpeechToText({ pocketsphinx, sox, maxConcurrent: voice.local.maxConcurrent, timeoutMs: voice.timeoutMs, vocabularyFor: (tenant) => vocabulary.filesFor(tenant) });
}

/** The adapter VOICE_TTS_PROVIDER names. */
export function createTextToSpeech(config: AppConfig): TextToSpeech {
  const voice = config.voice;
  const limits = { firstByteTimeoutMs: voice.firstByteTimeoutMs, timeoutMs: voice.timeoutMs, maxRetries: voice.maxRetries };
  switch (voice.ttsProvider) {
    case 'off':
      return new UnavailableTextToSpeech('text-to-speech is turned off (VOICE_TTS_PROVIDER=off)');
    case 'openai':
      return new OpenAiTextToSpeech({ ...limits, apiKey: voice.openai.apiKey!, baseUrl: voice.openai.baseUrl, model: voice.openai.ttsModel, voice: voice.openai.voice });
    case 'elevenlabs':
      return new ElevenLabsTextToSpeech({ ...limits, ...voice.elevenlabs, apiKey: voice.elevenlabs.apiKey! });
    case 'local': {
      const program = findProgram(voice.local.ttsEngine);
      const sox = findProgram('sox');
      if (!program || !sox) return new UnavailableTextToSpeech(`the local synthesizer needs the Debian packages ${voice.local.ttsEngine} and sox (or set VOICE_TTS_PROVIDER)`);
      return new LocalTextToSpeech({ engine: voice.local.ttsEngine, program, sox, defaultVoice: voice.local.voice, maxConcurrent: voice.local.maxConcurrent, timeoutMs: voice.timeoutMs });
    }
  }
}

export const speechToTextProvider: FactoryProvider<SpeechToText> = {
  provide: SPEECH_TO_TEXT,
  inject: [APP_CONFIG, DealershipVocabulary],
  useFactory: createSpeechToText,
};

export const textToSpeechProvider: FactoryProvider<TextToSpeech> = {
  provide: TEXT_TO_SPEECH,
  inject: [APP_CONFIG],
  useFactory: createTextToSpeech,
};
