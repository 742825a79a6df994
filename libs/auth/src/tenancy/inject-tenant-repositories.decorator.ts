import { Inject, Type } from '@nestjs/common';
import { tenantRepositoryToken } from './tenant-repository.provider';

export const InjectTenantRepositories = (entity: Type) => Inject(tenantRepositoryToken(entity));
