import { DynamicModule, Global, Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({})
export class MetricsModule {
  /** `app` becomes the `app` label on every series (api or worker). */
  static forRoot(app: string): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: MetricsRegistry, useFactory: () => new MetricsRegistry(app) }, HttpMetrics],
      exports: [MetricsRegistry, HttpMetrics],
    };
  }
}
