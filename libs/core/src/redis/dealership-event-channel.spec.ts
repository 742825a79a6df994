import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import { DealershipEventChannel } from './dealership-event-channel';
import { RedisConnections } from './redis-connections';

interface Progress {
  id: string;
  step: number;
}

class ProgressEvents extends DealershipEventChannel<Progress> {
  constructor(redis: RedisConnections) {
    super(redis, 'progress-spec');
  }
}

function connections(url: string): RedisConnections {
  const config = { redis: { url, keyPrefix: `spec-${randomUUID()}` } } as AppConfig;
  return new RedisConnections(config);
}

describe('DealershipEventChannel (real Redis)', () => {
  it('hands one pod the events another publishes, each with the dealership of its channel', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redis = connections(url);
    const [publisher, listener] = [new ProgressEvents(redis), new ProgressEvents(redis)];
    try {
      const all = listener.streamAll();
      const [a, b] = [randomUUID(), randomUUID()];
      // PSUBSCRIBE is in flight at first: publish until the listener hears one event.
      const first = firstValueFrom(all);
      let heard = false;
      void first.then(() => (heard = true));
      while (!heard) {
        await publisher.publish(a, { id: 'x', step: 1 });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await first).toEqual({ id: 'x', step: 1, dealershipId: a });
      const next = firstValueFrom(all.pipe(filter((e) => e.id === 'y')));
      await publisher.publish(b, { id: 'y', step: 2 });
      expect(await next).toEqual({ id: 'y', step: 2, dealershipId: b });
    } finally {
      listener.onApplicationShutdown();
      await redis.onApplicationShutdown();
    }
  });

  it('shuts down cleanly while Redis is unreachable: the waiting subscription is dropped, not left to reject unhandled', async () => {
    const redis = connections('redis://127.0.0.1:1');
    const events = new ProgressEvents(redis);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      events.streamAll().subscribe();
      await events.publish(randomUUID(), { id: 'x', step: 1 }); // best effort: no throw
      events.onApplicationShutdown();
      await redis.onApplicationShutdown();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
