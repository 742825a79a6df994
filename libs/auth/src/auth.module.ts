import { Module } from '@nestjs/common';

/** The auth domain; its capabilities arrive with their own issues. */
@Module({})
export class AuthModule {}
