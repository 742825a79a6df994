import { Module } from '@nestjs/common';

/** The voice domain; its capabilities arrive with their own issues. */
@Module({})
export class VoiceModule {}
