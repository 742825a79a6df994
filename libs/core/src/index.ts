// The public face of @showroom/core: what the domain libs and apps use. Everything else is internal.

// config
export { type AppConfig, ConfigError, composeEnvSchema, loadConfig } from './config/app-config';
export { type AnyConfigSection, type ConfigSection, defineConfigSection } from './config/config-section';
export { APP_CONFIG } from './config/config.module';
export { envBool, envInt, envJson, envList, envUrl } from './config/env-values';

// process, context, lifecycle
export { CoreModule } from './core.module';
export { RequestContext } from './context/request-context';
export { runProcess } from './lifecycle/run-process';
export { drainAndClose, exitGracefullyOnSignals } from './lifecycle/graceful-shutdown';
export { ShutdownState } from './lifecycle/shutdown-state';
export { LOG_DESTINATION } from './logging/log-destination';
export { MetricsRegistry } from './metrics/metrics.registry';
export { ReadinessChecks } from './health/readiness-check';

// database and redis
export { dataSourceOptions } from './database/data-source-options';
export { coreMigrations } from './database/migrations/index';
export { RedisConnections } from './redis/redis-connections';
export { DealershipEventChannel, WithDealership } from './redis/dealership-event-channel';
export { Idempotent } from './idempotency/idempotent.decorator';
export { RateLimitExceeded, RateLimiter, type RateLimitResult, type RateLimitRule, retryAfterSeconds } from './rate-limit/rate-limiter';

// errors and HTTP
export { AppException, type ErrorDetail } from './errors/app.exception';
export { errorEnvelope, type ErrorEnvelope } from './errors/error-envelope';
export { mapError } from './errors/http-error-mapping';
export { ErrorFormats, type ErrorFormat } from './errors/error-formats';
export { createHttpApp } from './http/configure-http-app';
export { INFRASTRUCTURE_ROUTE } from './http/infrastructure-route.decorator';
export { routeMetadata } from './http/route-metadata';
export { afterCursor, ListQueryDto, type Page, toPage } from './http/pagination';
export { IsBoundedCalendarDay, IsBoundedInstant, isBoundedCalendarDay, isBoundedInstant, isWithinDateBounds } from './http/date-bounds';

// queues and the outbox
export { defineJob } from './queue/job-definition';
export type { JobEnvelope } from './queue/job-envelope';
export { HandlesJob, type JobContext } from './queue/job-handler.decorator';
export { JobHandlerRegistry, type RegisteredHandler } from './queue/job-handler-registry';
export { JobProducer } from './queue/job-producer';
export { Outbox, type OutboxTransaction } from './queue/outbox/outbox';
export { OutboxDispatcher } from './queue/outbox/outbox-dispatcher';
export type { QueueName } from './queue/queue-names';
export { QueueRegistry } from './queue/queue-registry';

// resilience
export { type ProviderBreakerOptions, StreamBreaker, isBreakerRejection, providerBreaker } from './resilience/provider-breaker';

// server-sent events
export { SseStream, formatEvent, type SseEvent, type SseStreamOptions } from './http/sse/sse-stream';
export { clientGone } from './http/sse/client-gone';
export { streamProgress, type ProgressStreamOptions } from './http/sse/stream-progress';

// realtime: the transport-agnostic contract domains register socket commands with (the api serves it)
export {
  SOCKET_COMMAND_METADATA,
  SocketCommand,
  type SocketCommandHandlerFn,
  type SocketCommandMetadata,
  SocketCommandPayload,
  clientRequestId,
} from './realtime/socket-command.decorator';
export { RealtimeRooms } from './realtime/realtime-rooms';
export { socketErrorEnvelope } from './realtime/socket-error-envelope';
export type { SocketSession } from './realtime/socket-session';
export { createValidationPipe } from './errors/validation.pipe';
