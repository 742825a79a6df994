import { Module } from '@nestjs/common';
import { ReportsController } from '../reports/http/reports.controller';
import { ExportsModule } from './exports.module';
import { ExportsController } from './http/exports.controller';
import { ExportsRealtimeModule } from './realtime/exports-realtime.module';

/** The api face of exports and reports; the worker imports ExportsModule only. */
@Module({
  imports: [ExportsModule, ExportsRealtimeModule],
  controllers: [ExportsController, ReportsController],
})
export class ExportsHttpModule {}
