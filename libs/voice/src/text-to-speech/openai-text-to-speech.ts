import type OpenAI from 'openai';
import { openAiAudioClient, openAiBlame, openAiFailure } from '../openai-errors';
import { type CallLimits, GuardedProvider } from '../provider-call';
import { voiceErrors } from '../voice-errors';
import type { SpeechRequest, TextToSpeech } from './text-to-speech.port';

export interface OpenAiTextToSpeechOptions extends CallLimits {
  apiKey: string;
  baseUrl: string;
  model: string;
  voice: string;
  maxRetries: number;
}

/** OpenAI's voices (any other name is refused by OpenAI itself; servers speaking its API may have their own). */
export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse'];

/** OpenAI speech through the official SDK: audio bytes streamed as they come (`pcm` is 24 kHz PCM16). */
export class OpenAiTextToSpeech implements TextToSpeech {
  readonly provider = 'openai';
  readonly model: string;
  readonly formats = ['wav', 'mp3', 'pcm'] as const;
  readonly defaultVoice: string;
  private readonly client: OpenAI;
  private readonly guard: GuardedProvider;

  constructor(private readonly options: OpenAiTextToSpeechOptions) {
    this.model = options.model;
    this.defaultVoice = options.voice;
    this.client = openAiAudioClient(options);
    this.guard = new GuardedProvider(`text-to-speech ${new URL(options.baseUrl).host}`, openAiBlame, openAiFailure('OpenAI text-to-speech'), options.breaker);
  }

  synthesize(request: SpeechRequest): AsyncIterable<Buffer> {
    return this.guard.stream(request.signal, this.options, async (signal) => {
      const response = await this.client.audio.speech.create(
        { model: this.model, voice: request.voice, input: request.text, response_format: request.format },
        { signal },
      );
      if (!response.body) throw voiceErrors.badResponse('OpenAI text-to-speech', 'no audio came back');
      return response.body as unknown as AsyncIterable<Uint8Array>;
    });
  }
}
