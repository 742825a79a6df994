import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { ChatModule } from '@showroom/chat';
import { AvatarSessionSweep } from './maintenance/avatar-session-sweep';
import { avatarProviderFactory } from './providers/avatar-provider.factory';
import { AVATAR_SPEECH, noSpeech } from './providers/avatar-speech.port';
import { AvatarSession } from './sessions/avatar-session.entity';
import { AvatarSessions } from './sessions/avatar-sessions.service';
import { SessionEndings } from './sessions/session-endings';
import { AvatarSpeaker } from './speaking/avatar-speaker';

/**
 * The avatar domain: sessions, the vendor adapter (AVATAR_PROVIDER), speaking grounded
 * answers, and the session sweep (a maintenance job the worker runs). No HTTP here (AvatarHttpModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([AvatarSession]), ChatModule],
  providers: [
    // LITE mode's speech: bound to the voice lib's text-to-speech once it is there (see README, Avatar).
    { provide: AVATAR_SPEECH, useValue: noSpeech },
    avatarProviderFactory,
    SessionEndings,
    AvatarSessions,
    AvatarSpeaker,
    AvatarSessionSweep,
    provideTenantRepositories(AvatarSession),
  ],
  exports: [AvatarSessions, AvatarSpeaker, SessionEndings],
})
export class AvatarModule {}
