import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { RagModule } from '@showroom/rag';
import { ChatModule } from '../chat.module';
import { ChatMessage } from '../conversations/message.entity';
import { ChatOverSocket } from './chat-over-socket';
import { CommandRateLimit } from './command-rate-limit';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAuthenticator } from './socket-authenticator';

/**
 * The WebSocket gateway (/api/v1/ws): chat and document progress for the React client. Part
 * of the api only (imported by ChatHttpModule); the socket.io server's Redis adapter and drain
 * are set up by the api app (RealtimeIoAdapter).
 */
@Module({
  imports: [ChatModule, RagModule, TypeOrmModule.forFeature([ChatMessage])],
  providers: [RealtimeGateway, SocketAuthenticator, ChatOverSocket, CommandRateLimit, provideTenantRepositories(ChatMessage)],
})
export class RealtimeModule {}
