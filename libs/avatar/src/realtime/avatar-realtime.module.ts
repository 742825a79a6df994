import { Module } from '@nestjs/common';
import { AvatarModule } from '../avatar.module';
import { AvatarSocketCommands } from './avatar-socket-commands';

/** avatar's socket commands, served by the api's WebSocket gateway. Part of the api only (imported by AvatarHttpModule). */
@Module({
  imports: [AvatarModule],
  providers: [AvatarSocketCommands],
})
export class AvatarRealtimeModule {}
