import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnections } from '@showroom/core';
import type Redis from 'ioredis';
import { Observable, Subject, filter } from 'rxjs';
import type { ExportProgressEvent } from './export.view';

export type DealershipExportEvent = ExportProgressEvent & { dealershipId: string };

/**
 * Export progress across pods: the worker publishes on a Redis channel per dealership; every
 * api pod listens and hands the events to the clients streaming that export (SSE) or
 * subscribed on the realtime gateway. Hints for a progress bar: the row stays the truth.
 */
@Injectable()
export class ExportEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(ExportEvents.name);
  private readonly events = new Subject<DealershipExportEvent>();
  private subscriber?: Redis;

  constructor(private readonly redis: RedisConnections) {}

  /** Best effort: a lost event only delays a progress bar, never the work. */
  async publish(dealershipId: string, event: ExportProgressEvent): Promise<void> {
    try {
      await this.redis.shared.publish(this.channel(dealershipId), JSON.stringify(event));
    } catch (error) {
      this.logger.debug(`export event not published: ${(error as Error).message}`);
    }
  }

  /** Events of one export of one dealership, from any pod. */
  stream(dealershipId: string, exportId: string): Observable<ExportProgressEvent> {
    return this.streamAll().pipe(filter((e) => e.dealershipId === dealershipId && e.exportId === exportId));
  }

  /** Every dealership's export events (the realtime gateway sorts them into rooms). */
  streamAll(): Observable<DealershipExportEvent> {
    this.ensureSubscribed();
    return this.events.asObservable();
  }

  private ensureSubscribed(): void {
    if (this.subscriber) return;
    this.subscriber = this.redis.blocking('export-events');
    void this.subscriber.psubscribe(this.channel('*'));
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      try {
        const dealershipId = channel.slice(channel.lastIndexOf(':') + 1);
        this.events.next({ ...(JSON.parse(message) as ExportProgressEvent), dealershipId });
      } catch {
        // A malformed message is ignored; the row is the truth.
      }
    });
  }

  private channel(dealershipId: string): string {
    return this.redis.key('exports', 'events', dealershipId);
  }

  onApplicationShutdown(): void {
    this.events.complete();
  }
}
