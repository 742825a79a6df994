import { HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

/** The vendor says the session no longer exists (it ended it, or it timed out there): the row is marked ended. */
export class ProviderSessionGone extends Error {
  constructor(readonly reason: string) {
    super(`the avatar provider ended the session: ${reason}`);
  }
}

export const avatarNotConfigured = () =>
  new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'AVATAR_NOT_CONFIGURED', 'No avatar provider is configured on this server (AVATAR_PROVIDER).');

export const providerTimeout = (provider: string) =>
  new AppException(HttpStatus.GATEWAY_TIMEOUT, 'AVATAR_PROVIDER_TIMEOUT', `${provider} did not answer in time.`);

export const providerFailed = (provider: string, detail: string) =>
  new AppException(HttpStatus.BAD_GATEWAY, 'AVATAR_PROVIDER_ERROR', `${provider} refused the request: ${detail}`);
