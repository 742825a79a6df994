import { Module } from '@nestjs/common';
import { AvatarModule } from './avatar.module';
import { AvatarSessionsController } from './http/avatar-sessions.controller';
import { AvatarRealtimeModule } from './realtime/avatar-realtime.module';

/** The api face of avatar; the worker imports AvatarModule only and mounts no routes. */
@Module({
  imports: [AvatarModule, AvatarRealtimeModule],
  controllers: [AvatarSessionsController],
})
export class AvatarHttpModule {}
