// The public face of @showroom/voice: what other libs and the apps use.
export { VoiceModule } from './voice.module';
export { voiceConfig, type VoiceSettings } from './voice.config';
