import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisConnections } from '../redis/redis-connections';
import { JobProducer } from './job-producer';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { OutboxMaintenanceHandlers } from './outbox/outbox-maintenance.handlers';
import { OutboxMessage } from './outbox/outbox-message.entity';
import { Outbox } from './outbox/outbox';
import { QUEUE_NAMES } from './queue-names';
import { QueueRegistry, queueRegistryProvider } from './queue-registry';

/**
 * Registers every queue for producing (both apps) and the outbox. Consuming is the worker
 * app's business: only it creates BullMQ Workers.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [RedisConnections, APP_CONFIG],
      useFactory: (redis: RedisConnections, config: AppConfig) => ({
        connection: redis.shared,
        prefix: redis.bullPrefix,
        defaultJobOptions: {
          attempts: config.worker.jobAttempts,
          backoff: { type: 'exponential', delay: config.worker.jobBackoffMs, jitter: 0.5 },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      }),
    }),
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
    TypeOrmModule.forFeature([OutboxMessage]),
  ],
  providers: [queueRegistryProvider, JobProducer, Outbox, OutboxDispatcher, OutboxMaintenanceHandlers],
  exports: [QueueRegistry, JobProducer, Outbox, OutboxDispatcher],
})
export class QueueModule {}
