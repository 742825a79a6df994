import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports.module';
import { ExportProgressSocketCommands } from './export-progress.socket-commands';

/** exports.* socket commands, served by the api's WebSocket gateway; api only (imported by ExportsHttpModule). */
@Module({
  imports: [ExportsModule],
  providers: [ExportProgressSocketCommands],
})
export class ExportsRealtimeModule {}
