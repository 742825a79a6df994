import { Module } from '@nestjs/common';
import { ChatModule } from '@showroom/chat';
import { VoiceModule } from '../voice.module';
import { SpokenTurns } from './spoken-turns';
import { VoiceSocketCommands } from './voice-socket-commands';

/** voice's socket commands (voice.start/stop/interrupt and the binary voice.audio stream), served by the api's gateway. Part of the api only (VoiceHttpModule). */
@Module({
  imports: [VoiceModule, ChatModule],
  providers: [SpokenTurns, VoiceSocketCommands],
})
export class VoiceRealtimeModule {}
