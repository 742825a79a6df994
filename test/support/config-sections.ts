import { authConfig } from '@showroom/auth';
import { avatarConfig } from '@showroom/avatar';
import { chatConfig } from '@showroom/chat';
import { filesConfig } from '@showroom/files';
import { ragConfig } from '@showroom/rag';
import { voiceConfig } from '@showroom/voice';
import type { AnyConfigSection } from '@showroom/core';

/** The sections the api and worker compose (each app's src/main.ts), for tests that build a config. */
export const CONFIG_SECTIONS: readonly AnyConfigSection[] = [authConfig, filesConfig, ragConfig, chatConfig, voiceConfig, avatarConfig];
