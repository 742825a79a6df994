import { HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

/** The errors voice answers with: one place, so HTTP and the socket say the same thing. */
export const voiceErrors = {
  notConfigured: (what: string, why: string) =>
    new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'VOICE_NOT_CONFIGURED', `${what} is not available on this server: ${why}.`),
  unavailable: (provider: string, why: string) =>
    new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'PROVIDER_UNAVAILABLE', `The ${provider} voice service is not answering (${why}); try again shortly.`),
  timeout: (provider: string, why: string) => new AppException(HttpStatus.GATEWAY_TIMEOUT, 'VOICE_TIMEOUT', `The ${provider} voice service timed out: ${why}.`),
  badResponse: (provider: string, why: string) => new AppException(HttpStatus.BAD_GATEWAY, 'VOICE_BAD_RESPONSE', `The ${provider} voice service answered something unusable: ${why}.`),
  rejected: (provider: string, why: string) => new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VOICE_REJECTED', `The ${provider} voice service refused the request: ${why}.`),
  unsupportedFormat: (got: string, accepted: readonly string[], provider: string) =>
    new AppException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'UNSUPPORTED_AUDIO_FORMAT',
      `${got} is not accepted by the ${provider} provider; send ${accepted.join(', ')}.`,
      accepted.map((format) => ({ field: 'format', message: `accepted: ${format}` })),
    ),
  notAudio: (accepted: readonly string[]) =>
    new AppException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_AUDIO_FORMAT', `The file is not audio this server understands; send ${accepted.join(', ')}.`,
      accepted.map((format) => ({ field: 'file', message: `accepted: ${format}` }))),
  invalidAudio: (why: string) => new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'INVALID_AUDIO', `The audio cannot be used: ${why}.`),
  tooLong: (seconds: number, maxSeconds: number) =>
    new AppException(HttpStatus.PAYLOAD_TOO_LARGE, 'AUDIO_TOO_LONG', `The audio lasts ${seconds.toFixed(1)} s; at most ${maxSeconds} s is accepted.`),
  noSpeech: () => new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'NO_SPEECH_DETECTED', 'The audio holds only silence; nothing was transcribed.'),
};
