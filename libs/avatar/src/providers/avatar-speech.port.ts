import type { Tenant } from '@showroom/auth';
import type { SpeechService } from '@showroom/voice';

/**
 * Showroom's own speech for LiveAvatar LITE mode: PCM16 little-endian, mono, 24 kHz (the format
 * LITE requires, and the one the voice pipeline uses end to end), in chunks as it is made.
 * The avatar module binds it to voice's SpeechService (the configured text-to-speech provider,
 * its cache and usage counting); kept as this narrow shape so the LITE adapter depends on
 * audio, not on a text-to-speech vendor.
 */
export const AVATAR_SPEECH = Symbol('AVATAR_SPEECH');

export interface AvatarSpeech {
  synthesize(tenant: Tenant, text: string, options: { voice?: string; signal?: AbortSignal }): AsyncIterable<Uint8Array>;
}

/** voice's text-to-speech as LITE's audio source. A voice lib with no provider answers its own 503 VOICE_NOT_CONFIGURED. */
export function voiceSpeech(speech: SpeechService): AvatarSpeech {
  return {
    async *synthesize(tenant, text, { voice, signal }) {
      const stream = await speech.speak(tenant, { text, voice, format: 'pcm' }, signal);
      yield* stream.audio;
    },
  };
}
