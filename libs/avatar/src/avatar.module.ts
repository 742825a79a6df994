import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { ChatModule } from '@showroom/chat';
import { SpeechService, VoiceModule } from '@showroom/voice';
import { AvatarSessionSweep } from './maintenance/avatar-session-sweep';
import { avatarProviderFactory } from './providers/avatar-provider.factory';
import { AVATAR_SPEECH, voiceSpeech } from './providers/avatar-speech.port';
import { AvatarSession } from './sessions/avatar-session.entity';
import { AvatarSessions } from './sessions/avatar-sessions.service';
import { SessionEndings } from './sessions/session-endings';
import { AvatarSpeaker } from './speaking/avatar-speaker';
import { AvatarUsage } from './usage/avatar-usage';

/**
 * The avatar domain: sessions, the vendor adapter (AVATAR_PROVIDER), speaking grounded
 * answers, and the session sweep (a maintenance job the worker runs). No HTTP here (AvatarHttpModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([AvatarSession]), ChatModule, VoiceModule],
  providers: [
    // LITE mode speaks in our own voice: voice's text-to-speech, as PCM16 24 kHz.
    { provide: AVATAR_SPEECH, inject: [SpeechService], useFactory: voiceSpeech },
    avatarProviderFactory,
    SessionEndings,
    AvatarSessions,
    AvatarSpeaker,
    AvatarSessionSweep,
    AvatarUsage,
    provideTenantRepositories(AvatarSession),
  ],
  exports: [AvatarSessions, AvatarSpeaker, SessionEndings, AvatarUsage],
})
export class AvatarModule {}
