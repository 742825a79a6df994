import { getQueueToken } from '@nestjs/bullmq';
import { FactoryProvider, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUE_NAMES, QueueName } from './queue-names';

/** The BullMQ Queue objects by name, registered once in QueueModule. */
export class QueueRegistry {
  private readonly queues: Map<QueueName, Queue>;

  constructor(queues: Queue[]) {
    this.queues = new Map(queues.map((queue) => [queue.name as QueueName, queue]));
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Queue ${name} is not registered`);
    return queue;
  }
}

export const queueRegistryProvider: FactoryProvider<QueueRegistry> = {
  provide: QueueRegistry,
  inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]) => {
    // BullMQ prints unhandled queue errors with console.error, outside our JSON logs. The
    // connection's own listener (RedisConnections) already reports the cause once.
    const logger = new Logger('Queue');
    for (const queue of queues) queue.on('error', (error) => logger.debug(`queue ${queue.name}: ${error.message}`));
    return new QueueRegistry(queues);
  },
};
