import { HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

/**
 * Showroom's own speech for LiveAvatar LITE mode: PCM16 little-endian, mono, 24 kHz (the format
 * LITE requires, and the one the voice pipeline uses end to end), in chunks as it is made.
 * Bound to the voice lib's text-to-speech port by the avatar module; kept as this narrow shape
 * so the LITE adapter depends on audio, not on a TTS vendor.
 */
export const AVATAR_SPEECH = Symbol('AVATAR_SPEECH');

export interface AvatarSpeech {
  synthesize(text: string, options: { voice?: string; signal?: AbortSignal }): AsyncIterable<Uint8Array>;
}

/** Until a text-to-speech provider is there, LITE mode cannot speak: a clear 503, not silence. */
export const noSpeech: AvatarSpeech = {
  // eslint-disable-next-line require-yield -- it only refuses
  async *synthesize() {
    throw new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'SPEECH_NOT_CONFIGURED', 'LiveAvatar LITE mode needs a text-to-speech provider, and none is configured.');
  },
};
