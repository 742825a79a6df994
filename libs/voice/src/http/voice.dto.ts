import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SPEECH_FORMATS, type SpeechFormat } from '../audio/audio-format';

export class TranscriptionDto {
  @ApiPropertyOptional({ example: 'en', description: 'ISO-639-1 language of the speech' })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO-639-1 code such as en' })
  language?: string;
}

export class SpeechDto {
  @ApiProperty({ example: 'The powertrain warranty covers five years.' })
  @IsString()
  @MinLength(1)
  // The real limit is VOICE_SPEECH_MAX_CHARS (checked by SpeechService); this only bounds parsing.
  @MaxLength(100_000)
  text: string;

  @ApiPropertyOptional({ description: "A voice of the configured provider; defaults to the server's" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_+-]{1,64}$/, { message: 'voice must be 1 to 64 of A-Z a-z 0-9 _ + -' })
  voice?: string;

  @ApiPropertyOptional({ enum: SPEECH_FORMATS, default: 'wav', description: 'pcm is PCM16 little-endian mono 24 kHz' })
  @IsOptional()
  @IsIn(SPEECH_FORMATS)
  format?: SpeechFormat;
}
