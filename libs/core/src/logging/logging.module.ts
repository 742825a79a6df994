import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RequestContext } from '../context/request-context';
import { LOG_DESTINATION } from './log-destination';
import { RequestLogging } from './request-logging';
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
        // No routes: requests are logged by RequestLogging, mounted once as plain Express
        // middleware (see there why not through Nest's MiddlewareConsumer). The options still
        // build the root logger every line goes through.
        forRoutes: [],
        pinoHttp: withDestination(destination, {
          level: config.logLevel,
          // The request or job being served, on every line (see RequestContext).
          mixin: RequestContext.logFields,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }),
      }),
    }),
  ],
  providers: [RequestLogging],
  exports: [RequestLogging],
})
export class LoggingModule {}

function withDestination<T>(destination: DestinationStream | undefined, options: T): T | [T, DestinationStream] {
  return destination ? [options, destination] : options;
}

