import { Column, Entity, PrimaryColumn } from 'typeorm';

/** LLM calls and tokens of one dealership, per UTC day and model; only ever added to. */
@Entity({ name: 'llm_usage_daily' })
export class LlmUsageDaily {
  @PrimaryColumn('uuid', { name: 'dealership_id' })
  dealershipId: string;

  /** YYYY-MM-DD (TypeORM hands `date` columns over as strings, never as local-time Dates). */
  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('text')
  model: string;

  @Column('int')
  requests: number;

  /** bigint: node-postgres returns it as a string, so it cannot silently lose precision. */
  @Column('bigint', { name: 'input_tokens' })
  inputTokens: string;

  @Column('bigint', { name: 'output_tokens' })
  outputTokens: string;
}
