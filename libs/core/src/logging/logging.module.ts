import { Module, RequestMethod } from '@nestjs/common';
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

const UNLOGGED_ROUTES = ['health/live', 'health/ready', 'metrics'].map((path) => ({ path, method: RequestMethod.ALL }));

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG, { token: LOG_DESTINATION, optional: true }],
      useFactory: (config: AppConfig, destination?: DestinationStream) => ({
        // Probes and scrapes arrive every few seconds and are never logged per request: skip the
        // middleware for them altogether (pino-http's two child loggers with redaction were built
        // even when the line was then skipped; their few log lines use the root logger).
        exclude: UNLOGGED_ROUTES,
        pinoHttp: withDestination(destination, {
          level: config.logLevel,
          // requestIdMiddleware already chose the id; reuse it so logs and headers agree.
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
          customProps: (req: IncomingMessage) => ({ requestId: (req as IncomingMessage & { id: string }).id }),
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
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

