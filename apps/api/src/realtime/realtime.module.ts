import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RealtimeRooms } from '@showroom/core';
import { CommandRateLimit } from './command-rate-limit';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAuthenticator } from './socket-authenticator';
import { SocketCommandRegistry } from './socket-command-registry';

/**
 * The api's WebSocket transport (/api/v1/ws): the gateway, its authentication, limits and
 * command dispatch. The commands come from the domains (@SocketCommand providers in their
 * api-only modules); RealtimeRooms is global so those providers can send to rooms. The
 * socket.io server's own settings (Redis adapter, drain) are RealtimeIoAdapter's.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [RealtimeGateway, SocketAuthenticator, SocketCommandRegistry, CommandRateLimit, { provide: RealtimeRooms, useExisting: RealtimeGateway }],
  exports: [RealtimeRooms],
})
export class RealtimeModule {}
