import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '@showroom/core';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, CurrentTenant, Roles } from '../../guards/auth.decorators';
import type { Principal, Tenant } from '../../principal';
import { ADMIN_ROLES } from '../../roles';
import { ApiKeysService } from '../api-keys.service';

export class CreateApiKeyDto {
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;
}

@ApiTags('api keys')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  list(@CurrentTenant() tenant: Tenant) {
    return this.keys.list(tenant);
  }

  @Post()
  @Idempotent()
  create(@CurrentPrincipal() actor: Principal, @CurrentTenant() tenant: Tenant, @Body() body: CreateApiKeyDto) {
    return this.keys.create(actor as Extract<Principal, { kind: 'user' }>, tenant, body.name);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() actor: Principal, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    await this.keys.revoke(actor, tenant, id);
  }
}
