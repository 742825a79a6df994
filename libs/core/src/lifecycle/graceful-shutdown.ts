import { INestApplication, Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { ShutdownState } from './shutdown-state';

const logger = new Logger('Shutdown');

/**
 * The order that loses nothing on SIGTERM:
 *  1. readiness turns false at once (k8s stops routing new traffic here);
 *  2. wait `readinessDelayMs` so endpoints are updated before we stop listening;
 *  3. stop accepting connections and let in-flight requests finish;
 *  4. app.close(): workers stop taking jobs and finish (or hand back) active ones in
 *     beforeApplicationShutdown, then queues, Redis and Postgres close.
 * Runs once however many signals arrive.
 */
export async function drainAndClose(app: INestApplication, config: AppConfig): Promise<void> {
  app.get(ShutdownState).beginDraining();
  if (config.shutdown.readinessDelayMs > 0) await sleep(config.shutdown.readinessDelayMs);
  await closeHttpServer(app.getHttpServer() as Server | undefined);
  await app.close();
}

async function closeHttpServer(server: Server | undefined): Promise<void> {
  if (!server?.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections that go idle after their last response would hold close() open.
  const reaper = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(reaper);
  }
}

/**
 * Installs SIGTERM/SIGINT handling for a process: drain and close within the grace period,
 * then exit 0; past the grace period exit 1 regardless, so k8s never has to SIGKILL us.
 */
export function exitGracefullyOnSignals(app: INestApplication, config: AppConfig): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.log(`${signal} received: draining (grace ${config.shutdown.graceMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown did not finish within ${config.shutdown.graceMs} ms; exiting`);
      process.exit(1);
    }, config.shutdown.graceMs);
    deadline.unref();
    drainAndClose(app, config).then(
      () => {
        logger.log('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
