import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class PostMessageDto {
  @ApiProperty({ example: 'How long is the powertrain warranty?', description: 'Up to CHAT_MESSAGE_MAX_CHARS characters (checked by the service)' })
  @IsString()
  @MinLength(1)
  // A hard ceiling against abuse; the configurable limit is enforced by the service.
  @MaxLength(100_000)
  content: string;
}
