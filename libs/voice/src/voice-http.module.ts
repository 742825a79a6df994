import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { VoiceController } from './http/voice.controller';
import { VoiceRealtimeModule } from './realtime/voice-realtime.module';
import { VoiceModule } from './voice.module';

/** The api face of voice. Audio uploads are held in memory up to VOICE_UPLOAD_MAX_BYTES (one file per request, 413 above). */
@Module({
  imports: [
    VoiceModule,
    VoiceRealtimeModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.voice.uploadMaxBytes, files: 1, fields: 5, parts: 10 } }),
    }),
  ],
  controllers: [VoiceController],
})
export class VoiceHttpModule {}
