import type { FactoryProvider, Type } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { ObjectLiteral, Repository } from 'typeorm';
import { TenantRepositories } from './tenant-scoped.repository';

export function tenantRepositoryToken(entity: Type): string {
  return `TenantRepositories<${entity.name}>`;
}

/** Provides `TenantRepositories<Entity>` under tenantRepositoryToken(Entity). */
export function provideTenantRepositories<T extends ObjectLiteral & { dealershipId: string }>(entity: Type<T>): FactoryProvider {
  return {
    provide: tenantRepositoryToken(entity),
    inject: [getRepositoryToken(entity)],
    useFactory: (repository: Repository<T>) => new TenantRepositories(repository),
  };
}
