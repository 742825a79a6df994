import { Inject, Injectable } from '@nestjs/common';
import { AppException, MetricsRegistry } from '@showroom/core';
import { Counter, Histogram } from 'prom-client';
import { VoiceCallAborted } from './provider-call';

/** The outcome label: ok, aborted, or the error's code (a small fixed set). */
export function outcomeOf(error: unknown): string {
  if (error instanceof VoiceCallAborted) return 'aborted';
  return error instanceof AppException ? error.code : 'error';
}

/**
 * Prometheus series for voice: speech-to-text and text-to-speech latency by provider and
 * outcome, time to the first synthesized byte, audio seconds in and out, the spoken turn's
 * latency (end of speech to the first audio byte) and the speech cache's hits and misses.
 */
@Injectable()
export class VoiceMetrics {
  readonly sttDuration: Histogram<'provider' | 'outcome'>;
  readonly ttsFirstByte: Histogram<'provider'>;
  readonly ttsDuration: Histogram<'provider' | 'outcome'>;
  readonly audioSeconds: Counter<'provider' | 'direction'>;
  readonly turnFirstAudio: Histogram<'stt' | 'tts'>;
  readonly cacheLookups: Counter<'result'>;

  constructor(@Inject(MetricsRegistry) registry: MetricsRegistry) {
    const buckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];
    this.sttDuration = new Histogram({ name: 'voice_stt_duration_seconds', help: 'Speech-to-text latency by provider and outcome', labelNames: ['provider', 'outcome'], buckets, registers: [registry] });
    this.ttsFirstByte = new Histogram({ name: 'voice_tts_first_byte_seconds', help: 'Time from a text-to-speech call to its first audio byte, by provider', labelNames: ['provider'], buckets, registers: [registry] });
    this.ttsDuration = new Histogram({ name: 'voice_tts_duration_seconds', help: 'Text-to-speech latency to the last byte, by provider and outcome', labelNames: ['provider', 'outcome'], buckets, registers: [registry] });
    this.audioSeconds = new Counter({ name: 'voice_audio_seconds_total', help: 'Seconds of audio transcribed (in) and synthesized (out), by provider', labelNames: ['provider', 'direction'], registers: [registry] });
    this.turnFirstAudio = new Histogram({ name: 'voice_turn_first_audio_seconds', help: 'Spoken turn: end of speech to the first answer audio byte sent', labelNames: ['stt', 'tts'], buckets, registers: [registry] });
    this.cacheLookups = new Counter({ name: 'voice_speech_cache_lookups_total', help: 'Speech cache lookups by result (hit or miss); hit rate = hit / all', labelNames: ['result'], registers: [registry] });
  }
}
