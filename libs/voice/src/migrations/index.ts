import { CreateVoiceUsage1764150000000 } from './1764150000000-create-voice-usage';

export const voiceMigrations = [CreateVoiceUsage1764150000000];
