import { Module } from '@nestjs/common';

/** The chat domain; its capabilities arrive with their own issues. */
@Module({})
export class ChatModule {}
