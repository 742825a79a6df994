import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { RagModule } from '@showroom/rag';
import { TranscriptionService } from './speech-to-text/transcription.service';
import { SpeechService } from './text-to-speech/speech.service';
import { VoiceUsageDaily } from './usage/voice-usage-daily.entity';
import { VoiceUsage } from './usage/voice-usage';
import { DealershipVocabulary } from './vocabulary/dealership-vocabulary';
import { VoiceMetrics } from './voice-metrics';
import { speechToTextProvider, textToSpeechProvider } from './voice.providers';

/** Voice: speech-to-text and text-to-speech behind ports chosen by config, the speech cache, usage and metrics. No HTTP here (VoiceHttpModule). */
@Module({
  imports: [TypeOrmModule.forFeature([VoiceUsageDaily]), RagModule],
  providers: [
    VoiceMetrics,
    DealershipVocabulary,
    speechToTextProvider,
    textToSpeechProvider,
    TranscriptionService,
    SpeechService,
    VoiceUsage,
    provideTenantRepositories(VoiceUsageDaily),
  ],
  exports: [TranscriptionService, SpeechService, VoiceUsage, VoiceMetrics],
})
export class VoiceModule {}
