import { Module } from '@nestjs/common';

/** The files domain; its capabilities arrive with their own issues. */
@Module({})
export class FilesModule {}
