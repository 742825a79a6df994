import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, Roles } from '../../guards/auth.decorators';
import type { Principal, Tenant } from '../../principal';
import { ADMIN_ROLES } from '../../roles';
import { UsersService } from '../users.service';
import { Idempotent, ListQueryDto } from '@showroom/core';
import { CreateUserDto, UpdateUserDto } from './users.dto';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

@ApiTags('users')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@CurrentTenant() tenant: Tenant, @Query() query: ListQueryDto) {
    return this.users.list(tenant, query.cursor, query.limit);
  }

  @Post()
  @Idempotent()
  create(@CurrentPrincipal() actor: UserPrincipal, @CurrentTenant() tenant: Tenant, @Body() body: CreateUserDto) {
    return this.users.create(actor, tenant, body);
  }

  @Patch(':id')
  update(@CurrentPrincipal() actor: UserPrincipal, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto) {
    return this.users.update(actor, tenant, id, body);
  }

  /** Deactivates (users are never hard-deleted: the audit log and their content refer to them). */
  @Delete(':id')
  @HttpCode(204)
  async deactivate(@CurrentPrincipal() actor: UserPrincipal, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    await this.users.update(actor, tenant, id, { active: false });
  }
}
