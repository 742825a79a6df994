import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Principal, Tenant, TenantRepositories } from '@showroom/auth';
import { AppException } from '@showroom/core';
import { DataSource } from 'typeorm';
import { AssistantSettings } from './assistant-settings.entity';
import { DEFAULT_SYSTEM_PROMPT_TEXT } from './default-system-prompt.token';

export const SYSTEM_PROMPT_MAX_CHARS = 4000;

export interface AssistantSettingsView {
  systemPrompt: string;
  /** True when the dealership has not set its own prompt and the built-in one applies. */
  isDefault: boolean;
  updatedAt: string | null;
}

/** A dealership's assistant instructions. Tenant-scoped; only owners and admins reach the endpoints. */
@Injectable()
export class AssistantSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(AssistantSettings) private readonly settings: TenantRepositories<AssistantSettings>,
    @Inject(DEFAULT_SYSTEM_PROMPT_TEXT) private readonly defaultPrompt: string,
  ) {}

  /**
   * The dealership's own prompt, or null when it has none (the answer pipeline then uses its
   * default). A conversation answer reads it inside its turn-opening statement instead
   * (conversations/open-turn.sql.ts), saving a round trip per answer.
   */
  async systemPromptFor(dealershipId: string): Promise<string | null> {
    const row = await this.settings.for({ dealershipId }).findOneBy({});
    return row?.systemPrompt ?? null;
  }

  async get(tenant: Tenant): Promise<AssistantSettingsView> {
    const row = await this.settings.for(tenant).findOneBy({});
    if (!row) return { systemPrompt: this.defaultPrompt, isDefault: true, updatedAt: null };
    return { systemPrompt: row.systemPrompt, isDefault: false, updatedAt: row.updatedAt.toISOString() };
  }

  /** Sets the dealership's prompt; null goes back to the default. */
  async update(actor: Principal, tenant: Tenant, systemPrompt: string | null): Promise<AssistantSettingsView> {
    if (systemPrompt === null) {
      await this.settings.for(tenant).delete({});
      return this.get(tenant);
    }
    const prompt = systemPrompt.trim();
    if (prompt.length === 0 || prompt.length > SYSTEM_PROMPT_MAX_CHARS) {
      throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'The system prompt is empty or too long.', [
        { field: 'systemPrompt', message: `must be 1 to ${SYSTEM_PROMPT_MAX_CHARS} characters, not only spaces (send null to use the default)` },
      ]);
    }
    // Raw upsert on the dealership's key; the tenant is stamped by hand (no upsert on the scoped repository).
    await this.dataSource.query(
      `INSERT INTO assistant_settings (dealership_id, system_prompt, updated_at, updated_by) VALUES ($1, $2, now(), $3)
       ON CONFLICT (dealership_id) DO UPDATE SET system_prompt = EXCLUDED.system_prompt, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [tenant.dealershipId, prompt, actor.kind === 'user' ? actor.userId : null],
    );
    return this.get(tenant);
  }
}
