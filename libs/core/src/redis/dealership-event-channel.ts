import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { Observable, Subject } from 'rxjs';
import { RedisConnections } from './redis-connections';

/** An event with the dealership it belongs to (taken from the channel it came on). */
export type WithDealership<E> = E & { dealershipId: string };

/**
 * Progress events across pods on one Redis channel per dealership: whoever changes a row's
 * state (worker or api) publishes; every api pod listens on the pattern and hands the events to
 * the clients watching, whichever pod they are connected to. Events are hints for live
 * display; the database row stays the truth (a client that reconnects reads it again).
 * Documents and exports each extend this with their own event type and topic.
 */
export abstract class DealershipEventChannel<E extends object> implements OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private readonly events = new Subject<WithDealership<E>>();
  private subscriber?: Redis;

  protected constructor(
    private readonly redis: RedisConnections,
    private readonly topic: string,
  ) {}

  /** Best effort: a lost event only delays a progress bar, never the work. */
  async publish(dealershipId: string, event: E): Promise<void> {
    try {
      await this.redis.shared.publish(this.channel(dealershipId), JSON.stringify(event));
    } catch (error) {
      this.logger.debug(`${this.topic} event not published: ${(error as Error).message}`);
    }
  }

  /** Every dealership's events, from any pod (the realtime gateway sorts them into rooms). */
  streamAll(): Observable<WithDealership<E>> {
    this.ensureSubscribed();
    return this.events.asObservable();
  }

  private ensureSubscribed(): void {
    if (this.subscriber) return;
    this.subscriber = this.redis.blocking(`${this.topic}-events`);
    // While Redis is away the PSUBSCRIBE waits in the offline queue and ioredis subscribes again
    // on reconnect; a pod that shuts down first rejects it with "Connection is closed", which
    // must not surface as an unhandled rejection.
    this.subscriber.psubscribe(this.channel('*')).catch((error: Error) => this.logger.debug(`${this.topic} events not subscribed: ${error.message}`));
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      try {
        const dealershipId = channel.slice(channel.lastIndexOf(':') + 1);
        this.events.next({ ...(JSON.parse(message) as E), dealershipId });
      } catch {
        // A malformed message is ignored; the row is the truth.
      }
    });
  }

  private channel(dealershipId: string): string {
    return this.redis.key(this.topic, 'events', dealershipId);
  }

  onApplicationShutdown(): void {
    this.events.complete();
  }
}
