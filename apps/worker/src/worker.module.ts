import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig, CoreModule, JobHandlerRegistry } from '@showroom/core';
import { AuthModule } from '@showroom/auth';
import { AvatarModule } from '@showroom/avatar';
import { ChatModule, ExportsModule } from '@showroom/chat';
import { FilesModule } from '@showroom/files';
import { RagModule } from '@showroom/rag';
import { VoiceModule } from '@showroom/voice';
import { JobMetrics } from './job-metrics';
import { JobSchedules } from './job-schedules';
import { ParseThreadsWarmUp } from './parse-threads-warm-up';
import { QueueWorkers } from './queue-workers';
import { QueueWorkersReadiness } from './queue-workers.health';

/**
 * The worker composes the same libs as the api (their job handlers live with the work
 * they do) and adds the BullMQ consumers. Its HTTP server only serves health and metrics.
 */
@Module({})
export class WorkerModule {
  /** `extraImports` lets tests add modules (for example a job handler) next to the real ones. */
  static forRoot(config: AppConfig, extraImports: NonNullable<ModuleMetadata['imports']> = []): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config, 'worker'),
        DiscoveryModule,
        AuthModule,
        RagModule,
        ChatModule,
        ExportsModule,
        VoiceModule,
        AvatarModule,
        FilesModule,
        ...extraImports,
      ],
      providers: [JobHandlerRegistry, JobMetrics, JobSchedules, QueueWorkers, QueueWorkersReadiness, ParseThreadsWarmUp],
    };
  }
}
