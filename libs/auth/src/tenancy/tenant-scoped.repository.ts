import type { DeepPartial, EntityManager, FindManyOptions, FindOneOptions, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import type { Tenant } from '../principal';

type TenantOwned = ObjectLiteral & { dealershipId: string };

/**
 * A repository that can only see and touch one dealership's rows: every read, update and
 * delete gets `dealership_id = <tenant>` added, and every insert is stamped with it. Services
 * that serve a dealership get one of these, never the raw repository, so forgetting the
 * tenant filter is not possible. A row of another dealership is simply not found (404).
 */
export class TenantScopedRepository<T extends TenantOwned> {
  constructor(
    private readonly repository: Repository<T>,
    readonly tenant: Tenant,
  ) {}

  find(options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.repository.find({ ...options, where: this.scope(options.where) });
  }

  findOneBy(where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository.findOne({ where: this.scope(where) });
  }

  findOne(options: FindOneOptions<T> & { where: FindOptionsWhere<T> }): Promise<T | null> {
    return this.repository.findOne({ ...options, where: this.scope(options.where) });
  }

  count(where: FindOptionsWhere<T> = {}): Promise<number> {
    return this.repository.count({ where: this.scope(where) });
  }

  /** Updates matching rows of this dealership; returns how many changed. */
  async update(where: FindOptionsWhere<T>, changes: Partial<T>): Promise<number> {
    // A row never moves to another dealership, whatever the caller passes.
    const rest: Partial<T> & { dealershipId?: string } = { ...changes };
    delete rest.dealershipId;
    const result = await this.repository.update(this.scope(where) as FindOptionsWhere<T>, rest as never);
    return result.affected ?? 0;
  }

  /** Deletes matching rows of this dealership; returns how many went. */
  async delete(where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repository.delete(this.scope(where) as FindOptionsWhere<T>);
    return result.affected ?? 0;
  }

  async insert(entity: Omit<DeepPartial<T>, 'dealershipId'>): Promise<T> {
    const row = this.repository.create({ ...entity, dealershipId: this.tenant.dealershipId } as DeepPartial<T>);
    await this.repository.insert(row as never);
    return row;
  }

  private scope(where: FindManyOptions<T>['where'] = {}): FindOptionsWhere<T> | FindOptionsWhere<T>[] {
    const tenantFilter = { dealershipId: this.tenant.dealershipId } as FindOptionsWhere<T>;
    if (Array.isArray(where)) return where.map((w) => ({ ...w, ...tenantFilter }));
    return { ...where, ...tenantFilter };
  }
}

/** Hands out TenantScopedRepository instances for one entity; inject this, not Repository<T>. */
export class TenantRepositories<T extends TenantOwned> {
  constructor(private readonly repository: Repository<T>) {}

  /** Pass the transaction's manager to read and write inside that transaction. */
  for(tenant: Tenant, manager?: EntityManager): TenantScopedRepository<T> {
    const repository = manager ? manager.getRepository<T>(this.repository.target) : this.repository;
    return new TenantScopedRepository(repository, tenant);
  }
}
