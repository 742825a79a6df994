import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { AVATAR_PROVIDER, AvatarProvider } from './avatar-provider.port';
import { AVATAR_SPEECH, AvatarSpeech } from './avatar-speech.port';
import { HeyGenAvatar } from './heygen-avatar.adapter';
import { LiveAvatarAdapter } from './liveavatar.adapter';

/** The adapter AVATAR_PROVIDER names, or null (every avatar call then answers 503 AVATAR_NOT_CONFIGURED). */
export const avatarProviderFactory: FactoryProvider<AvatarProvider | null> = {
  provide: AVATAR_PROVIDER,
  inject: [APP_CONFIG, AVATAR_SPEECH],
  useFactory: (config: AppConfig, speech: AvatarSpeech) => {
    switch (config.avatar.provider) {
      case 'liveavatar':
        return new LiveAvatarAdapter(config, speech);
      case 'heygen':
        return new HeyGenAvatar(config);
      default:
        return null;
    }
  },
};
