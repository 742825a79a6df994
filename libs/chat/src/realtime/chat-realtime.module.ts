import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { ChatModule } from '../chat.module';
import { ChatMessage } from '../conversations/message.entity';
import { ChatOverSocket } from './chat-over-socket';
import { ChatSocketCommands } from './chat-socket-commands';

/**
 * chat's socket commands (chat.ask/resume/cancel), served by the api's WebSocket gateway.
 * Part of the api only (imported by ChatHttpModule).
 */
@Module({
  imports: [ChatModule, TypeOrmModule.forFeature([ChatMessage])],
  providers: [ChatSocketCommands, ChatOverSocket, provideTenantRepositories(ChatMessage)],
})
export class ChatRealtimeModule {}
