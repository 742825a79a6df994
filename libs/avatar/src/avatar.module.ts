import { Module } from '@nestjs/common';

/** The avatar domain; its capabilities arrive with their own issues. */
@Module({})
export class AvatarModule {}
