// The public face of @showroom/voice: what other libs and the apps use.
export { VoiceModule } from './voice.module';
export { VoiceHttpModule } from './voice-http.module';
export { voiceConfig, type VoiceSettings } from './voice.config';
export { voiceMigrations } from './migrations/index';
export { SpeechService, type SpeechOrder, type SpeechStream } from './text-to-speech/speech.service';
export { TranscriptionService } from './speech-to-text/transcription.service';
export { VoiceUsage, type VoiceUsageLine, type VoiceUsageReport } from './usage/voice-usage';
export { PCM_SAMPLE_RATE, SPEECH_FORMATS, type SpeechFormat } from './audio/audio-format';
export { SpokenSentences, speakable } from './text-to-speech/spoken-sentences';
