import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, CurrentPrincipal, CurrentTenant, Principal, Roles, Tenant } from '@showroom/auth';
import { IsDefined, IsString, MaxLength, ValidateIf } from 'class-validator';
import { AssistantSettingsService, SYSTEM_PROMPT_MAX_CHARS } from '../assistant-settings.service';

export class UpdateAssistantSettingsDto {
  @ApiProperty({ type: String, nullable: true, maxLength: SYSTEM_PROMPT_MAX_CHARS, description: 'null goes back to the built-in prompt' })
  @IsDefined()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(SYSTEM_PROMPT_MAX_CHARS)
  systemPrompt: string | null;
}

@ApiTags('chat')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('assistant-settings')
export class AssistantSettingsController {
  constructor(private readonly settings: AssistantSettingsService) {}

  /** `{ systemPrompt, isDefault, updatedAt }`: the built-in prompt while the dealership has none of its own. */
  @Get()
  get(@CurrentTenant() tenant: Tenant) {
    return this.settings.get(tenant);
  }

  @Put()
  update(@CurrentPrincipal() actor: Principal, @CurrentTenant() tenant: Tenant, @Body() body: UpdateAssistantSettingsDto) {
    return this.settings.update(actor, tenant, body.systemPrompt);
  }
}
