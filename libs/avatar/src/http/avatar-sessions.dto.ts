import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

// Vendor avatar and voice ids are short identifiers; anything else is not worth a vendor call.
const VENDOR_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export class CreateAvatarSessionDto {
  @ApiPropertyOptional({ description: 'Speak in this conversation (one you can see); a new one is made when left out' })
  @IsOptional()
  @IsUUID()
  conversationId?: string;

  @ApiPropertyOptional({ description: "The vendor's avatar id (LiveAvatar) or avatar name (HeyGen); the configured default otherwise" })
  @IsOptional()
  @Matches(VENDOR_ID, { message: 'avatarId must be a vendor avatar id (letters, digits, _ . : -; at most 128)' })
  avatarId?: string;

  @ApiPropertyOptional({ description: "The vendor's voice id; the configured default otherwise" })
  @IsOptional()
  @Matches(VENDOR_ID, { message: 'voice must be a vendor voice id (letters, digits, _ . : -; at most 128)' })
  voice?: string;
}

export class SpeakDto {
  @ApiProperty({ example: 'How long is the powertrain warranty?', description: 'Up to CHAT_MESSAGE_MAX_CHARS characters (checked by chat)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content: string;
}
