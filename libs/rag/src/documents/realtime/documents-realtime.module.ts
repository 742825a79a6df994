import { Module } from '@nestjs/common';
import { RagModule } from '../../rag.module';
import { DocumentProgressSocketCommands } from './document-progress.socket-commands';

/** rag's socket commands (documents.*), served by the api's WebSocket gateway; api only (imported by RagHttpModule). */
@Module({
  imports: [RagModule],
  providers: [DocumentProgressSocketCommands],
})
export class DocumentsRealtimeModule {}
