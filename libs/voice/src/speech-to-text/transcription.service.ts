import { Inject, Injectable } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { inspectAudio } from '../audio/inspect-audio';
import { containsSpeech } from '../audio/speech-energy';
import type { AudioFormat } from '../audio/audio-format';
import { isUnavailable } from '../unavailable-providers';
import { VoiceMetrics, outcomeOf } from '../voice-metrics';
import { voiceErrors } from '../voice-errors';
import { VoiceUsage } from '../usage/voice-usage';
import { SPEECH_TO_TEXT, type SpeechToText, type Transcription } from './speech-to-text.port';
import type { AudioClip } from '../audio/inspect-audio';

/**
 * Audio to text for one dealership: the clip's container is sniffed from its bytes and checked
 * against what the configured provider takes (415 naming those), its length against
 * VOICE_MAX_AUDIO_SECONDS (413), silence refused (422) before any recogniser runs; the seconds
 * transcribed are counted for usage.
 */
@Injectable()
export class TranscriptionService {
  constructor(
    @Inject(SPEECH_TO_TEXT) private readonly stt: SpeechToText,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: VoiceMetrics,
    private readonly usage: VoiceUsage,
  ) {}

  get formats(): readonly AudioFormat[] {
    return this.stt.formats;
  }

  get provider(): string {
    return this.stt.provider;
  }

  async transcribeUpload(tenant: Tenant, bytes: Buffer, language: string | undefined, signal?: AbortSignal): Promise<Transcription> {
    if (isUnavailable(this.stt)) return this.stt.transcribe();
    return this.transcribe(tenant, await inspectAudio(bytes), language, signal);
  }

  async transcribe(tenant: Tenant, audio: AudioClip, language: string | undefined, signal?: AbortSignal): Promise<Transcription> {
    if (isUnavailable(this.stt)) return this.stt.transcribe();
    if (!this.stt.formats.includes(audio.format)) throw voiceErrors.unsupportedFormat(audio.format, this.stt.formats, this.stt.provider);
    const maxSeconds = this.config.voice.maxAudioSeconds;
    if (audio.durationMs !== undefined && audio.durationMs > maxSeconds * 1000) throw voiceErrors.tooLong(audio.durationMs / 1000, maxSeconds);
    if (audio.pcm && !containsSpeech(audio.pcm)) throw voiceErrors.noSpeech();
    const end = this.metrics.sttDuration.startTimer({ provider: this.stt.provider });
    try {
      const result = await this.stt.transcribe({ tenant, audio, language, signal });
      end({ outcome: 'ok' });
      this.metrics.audioSeconds.inc({ provider: this.stt.provider, direction: 'in' }, result.durationMs / 1000);
      await this.usage.transcribed(tenant, this.stt.provider, result.durationMs / 1000);
      return result;
    } catch (error) {
      end({ outcome: outcomeOf(error) });
      throw error;
    }
  }
}
