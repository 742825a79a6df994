import type { DynamicModule } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { requestIdMiddleware } from '../context/request-id.middleware';
import { createValidationPipe } from '../errors/validation.pipe';
import { MediaTypeGuard } from './media-type.guard';
import { answerClientErrorsWithEnvelope } from './client-error-envelope';
import { HttpMetrics } from '../metrics/http-metrics';
import { RequestLogging } from '../logging/request-logging';
import { securityHeaders } from './security-headers';

export const API_PREFIX = 'api/v1';

/**
 * Paths served outside /api/v1: probes and scrapes are addressed by infrastructure, and the
 * OpenAI-compatible API (libs/chat openai-compat) sits at /v1 where OpenAI clients look for it.
 * Exact routes, not a `v1/*path` wildcard, so nothing else ever slips out of the prefix.
 */
const UNPREFIXED = ['health/live', 'health/ready', 'metrics', 'v1/models', 'v1/models/:model', 'v1/chat/completions'];

/**
 * Creates and configures an app's HTTP server exactly as production runs it; the apps'
 * create-*-app functions and the tests both go through here.
 */
export async function createHttpApp(
  root: DynamicModule,
  config: AppConfig,
  role: 'api' | 'worker',
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bodyParser: false,
    bufferLogs: true,
    // Start-up errors reach the caller (runProcess exits with the reason) instead of Nest exiting on its own.
    abortOnError: false,
  });
  configureHttpApp(app, config, role);
  return app;
}

/**
 * Everything both HTTP servers share (request id, metrics, logging, security headers, body
 * limits, validation), plus for the api its prefix, CORS and OpenAPI docs. Used by main.ts
 * and by the tests, so tests run the app exactly as production does.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig, role: 'api' | 'worker'): void {
  app.useLogger(app.get(Logger));
  answerClientErrorsWithEnvelope(app.getHttpServer());
  app.use(requestIdMiddleware);
  app.use(app.get(RequestLogging).middleware);
  app.use(app.get(HttpMetrics).middleware);
  app.use(securityHeaders());
  app.set('trust proxy', parseTrustProxy(config.http.trustProxy));
  app.set('x-powered-by', false);
  // No ETag on res.send/res.json: the api's answers are per caller and change under them, no
  // client revalidates them, and Express hashed every body (SHA-1) to make one, then wrote it
  // as a buffer after the headers instead of one string with them. Static files (the console,
  // the docs UI) keep their own validators from serve-static/send.
  app.set('etag', false);
  app.useBodyParser('json', { limit: config.http.bodyLimitBytes });
  // After the APP_GUARD ones, which Nest registered when it created the app (see MediaTypeGuard).
  app.useGlobalGuards(new MediaTypeGuard(app.get(Reflector)));
  app.useGlobalPipes(createValidationPipe());
  if (role === 'worker') return;

  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED });
  app.enableCors({
    origin: (origin, callback) => callback(null, !origin || config.http.corsOrigins.includes(origin)),
    credentials: true,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  if (config.http.docsEnabled) setUpDocs(app);
}

function setUpDocs(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Showroom API')
      .setDescription('Conversational AI for car dealerships. Errors always use the { error: { code, message, requestId, details } } envelope.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Express accepts true/false, a hop count, or names/CIDRs such as "loopback" or "10.0.0.0/8". */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
