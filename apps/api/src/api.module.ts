import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { AppConfig, CoreModule } from '@showroom/core';
import { AuthHttpModule } from '@showroom/auth';
import { AvatarHttpModule } from '@showroom/avatar';
import { ChatHttpModule, ExportsHttpModule } from '@showroom/chat';
import { FilesModule } from '@showroom/files';
import { RagHttpModule } from '@showroom/rag';
import { VoiceHttpModule } from '@showroom/voice';
import { RealtimeModule } from './realtime/realtime.module';

/**
 * The api composes the domain libs; it owns no domain code itself. The WebSocket transport
 * (RealtimeModule) lives here because it serves every domain: each registers its own commands.
 */
@Module({})
export class ApiModule {
  /** `extraImports` lets tests add modules (for example a job handler) next to the real ones. */
  static forRoot(config: AppConfig, extraImports: NonNullable<ModuleMetadata['imports']> = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config, 'api'),
        AuthHttpModule,
        RagHttpModule,
        ChatHttpModule,
        ExportsHttpModule,
        VoiceHttpModule,
        AvatarHttpModule,
        FilesModule,
        RealtimeModule,
        ...extraImports,
      ],
    };
  }
}
