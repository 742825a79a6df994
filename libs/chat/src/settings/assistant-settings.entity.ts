import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A dealership's own instructions for its assistant; no row means "use the default". */
@Entity({ name: 'assistant_settings' })
export class AssistantSettings {
  @PrimaryColumn('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('text', { name: 'system_prompt' })
  systemPrompt: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy: string | null;
}
