import { dataSourceOptions } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestContext } from '../../../../test/support/test-context';
import { Dealership } from '../entities/dealership.entity';
import { User } from '../entities/user.entity';
import { TenantRepositories } from './tenant-scoped.repository';

/** The scoping itself, on a real Postgres: nothing outside the tenant is read or changed. */
describe('TenantScopedRepository', () => {
  let ctx: TestContext;
  let dataSource: DataSource;
  let users: TenantRepositories<User>;
  const alpha = { dealershipId: randomUUID() };
  const beta = { dealershipId: randomUUID() };
  const alphaUser = randomUUID();
  const betaUser = randomUUID();

  beforeAll(async () => {
    ctx = await TestContext.create();
    dataSource = await new DataSource({ ...dataSourceOptions(ctx.config()), entities: [Dealership, User] }).initialize();
    users = new TenantRepositories(dataSource.getRepository(User));
    for (const [tenant, id, name] of [[alpha, alphaUser, 'Alpha'], [beta, betaUser, 'Beta']] as const) {
      await dataSource.getRepository(Dealership).insert({ id: tenant.dealershipId, name });
      await users.for(tenant).insert({ id, email: `${id}@x.example`, name, role: 'staff', passwordHash: 'x', active: true });
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await ctx?.dispose();
  });

  it('stamps inserts with the tenant', async () => {
    const row = await dataSource.getRepository(User).findOneByOrFail({ id: betaUser });
    expect(row.dealershipId).toBe(beta.dealershipId);
  });

  it('does not find another tenant\'s row, by id or in lists, even with an OR-style where', async () => {
    expect(await users.for(alpha).findOneBy({ id: betaUser })).toBeNull();
    expect((await users.for(alpha).find()).map((u) => u.id)).toEqual([alphaUser]);
    const either = await users.for(alpha).find({ where: [{ id: alphaUser }, { id: betaUser }] });
    expect(either.map((u) => u.id)).toEqual([alphaUser]);
    expect(await users.for(alpha).count({ id: betaUser })).toBe(0);
  });

  it('does not update another tenant\'s row, and never moves a row to another tenant', async () => {
    expect(await users.for(alpha).update({ id: betaUser }, { name: 'hijacked' })).toBe(0);
    expect(await users.for(alpha).update({ id: alphaUser }, { name: 'renamed', dealershipId: beta.dealershipId })).toBe(1);
    const row = await dataSource.getRepository(User).findOneByOrFail({ id: alphaUser });
    expect(row).toMatchObject({ name: 'renamed', dealershipId: alpha.dealershipId });
    expect((await dataSource.getRepository(User).findOneByOrFail({ id: betaUser })).name).toBe('Beta');
  });
});
