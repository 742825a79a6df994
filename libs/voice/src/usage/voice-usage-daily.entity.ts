import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Speech transcribed and synthesized by one dealership, per UTC day and provider; only ever added to. */
@Entity({ name: 'voice_usage_daily' })
export class VoiceUsageDaily {
  @PrimaryColumn('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('text')
  provider: string;

  @Column('int')
  transcriptions: number;

  @Column('bigint', { name: 'transcribed_ms' })
  transcribedMs: string;

  @Column('int')
  syntheses: number;

  @Column('bigint', { name: 'synthesized_chars' })
  synthesizedChars: string;
}
