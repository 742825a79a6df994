import { Module } from '@nestjs/common';

/** The rag domain; its capabilities arrive with their own issues. */
@Module({})
export class RagModule {}
