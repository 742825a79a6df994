import { Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LOG_DESTINATION } from './log-destination';
import type { DestinationStream } from 'pino';

// Never let credentials reach the logs, whatever a caller sends.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
];

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG, { token: LOG_DESTINATION, optional: true }],
      useFactory: (config: AppConfig, destination?: DestinationStream) => ({
        pinoHttp: withDestination(destination, {
          level: config.logLevel,
          // requestIdMiddleware already chose the id; reuse it so logs and headers agree.
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
          customProps: (req: IncomingMessage) => ({ requestId: (req as IncomingMessage & { id: string }).id }),
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          autoLogging: { ignore: (req: IncomingMessage) => isProbe(req.url) },
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }),
      }),
    }),
  ],
})
export class LoggingModule {}

function withDestination<T>(destination: DestinationStream | undefined, options: T): T | [T, DestinationStream] {
  return destination ? [options, destination] : options;
}

function isProbe(url: string | undefined): boolean {
  return !!url && (url.startsWith('/health/') || url === '/metrics');
}
