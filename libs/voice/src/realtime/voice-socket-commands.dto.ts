import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { SocketCommandPayload } from '@showroom/core';

/** Microphone rates a browser's AudioWorklet or a phone line gives; the recogniser resamples. */
export const TURN_SAMPLE_RATES = [8_000, 16_000, 24_000, 44_100, 48_000];

export class VoiceStartCommand extends SocketCommandPayload {
  @IsUUID('all', { message: 'conversationId must be a UUID' })
  conversationId: string;

  @IsIn(TURN_SAMPLE_RATES, { message: `sampleRate must be one of ${TURN_SAMPLE_RATES.join(', ')}` })
  sampleRate: number;

  @IsIn(['pcm16'], { message: 'format must be pcm16 (little-endian, mono)' })
  format: 'pcm16';

  @IsOptional()
  @Matches(/^[A-Za-z0-9_+-]{1,64}$/, { message: 'voice must be 1 to 64 of A-Z a-z 0-9 _ + -' })
  voice?: string;
}

export class VoiceTurnCommand extends SocketCommandPayload {
  @IsOptional()
  @IsUUID('all', { message: 'turnId must be a UUID' })
  turnId?: string;
}
