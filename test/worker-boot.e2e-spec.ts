import { Injectable, Module } from '@nestjs/common';
import { HandlesJob, defineJob } from '@showroom/core';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { TestContext } from './support/test-context';

/** A job kind somebody declared but never wrote a handler for. */
const OrphanJob = defineJob<{ id: string }>({ queue: 'embeddings', name: 'test.orphan' });

/** A second job kind handled twice. */
const DoubledJob = defineJob<{ id: string }>({ queue: 'embeddings', name: 'test.doubled' });

@Injectable()
class FirstDoubledHandler {
  @HandlesJob(DoubledJob)
  async run(): Promise<void> {}
}

@Injectable()
class SecondDoubledHandler {
  @HandlesJob(DoubledJob)
  async run(): Promise<void> {}
}

@Module({ providers: [FirstDoubledHandler, SecondDoubledHandler] })
class DoubledHandlersModule {}

describe('worker boot check', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await ctx?.dispose();
  });

  it('refuses to start, naming every job without exactly one handler', async () => {
    const app = await createWorkerApp(ctx.config(), [DoubledHandlersModule]);
    let failure: Error | undefined;
    try {
      await app.init();
    } catch (error) {
      failure = error as Error;
    } finally {
      await app.close();
    }
    expect(failure?.message).toContain(`job ${OrphanJob.queue}/${OrphanJob.name} has no handler`);
    expect(failure?.message).toContain('job embeddings/test.doubled has two handlers: FirstDoubledHandler.run and SecondDoubledHandler.run');
  });

  it('declaring the same job twice fails as soon as the code loads', () => {
    expect(() => defineJob({ queue: 'embeddings', name: 'test.orphan' })).toThrow('Job embeddings/test.orphan is declared twice');
  });
});
