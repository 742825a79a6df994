import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnections } from '@showroom/core';
import type Redis from 'ioredis';
import { Observable, Subject, filter } from 'rxjs';

export interface DocumentProgressEvent {
  documentId: string;
  status: 'queued' | 'processing' | 'ready' | 'failed';
  progress: number;
  chunkCount: number;
  error: string | null;
}

/** A progress event with the dealership it belongs to (taken from the channel it came on). */
export type DealershipDocumentEvent = DocumentProgressEvent & { dealershipId: string };

/**
 * Document progress across pods: whoever changes a document's state (worker or api) publishes
 * it on a Redis channel per dealership; every api pod listens and hands the events to the
 * clients streaming that document, whichever pod they are connected to. Events are hints for
 * live display; the database row stays the truth (a client that reconnects reads it again).
 */
@Injectable()
export class DocumentEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(DocumentEvents.name);
  private readonly events = new Subject<DealershipDocumentEvent>();
  private subscriber?: Redis;

  constructor(private readonly redis: RedisConnections) {}

  /** Best effort: a lost event only delays a progress bar, never the work. */
  async publish(dealershipId: string, event: DocumentProgressEvent): Promise<void> {
    try {
      await this.redis.shared.publish(this.channel(dealershipId), JSON.stringify(event));
    } catch (error) {
      this.logger.debug(`progress event not published: ${(error as Error).message}`);
    }
  }

  /** Events of one document of one dealership, from any pod. */
  stream(dealershipId: string, documentId: string): Observable<DocumentProgressEvent> {
    this.ensureSubscribed();
    return this.events.pipe(filter((e) => e.dealershipId === dealershipId && e.documentId === documentId));
  }

  /** Every dealership's events, from any pod: the documents.* socket commands sort them into per-dealership rooms. */
  streamAll(): Observable<DealershipDocumentEvent> {
    this.ensureSubscribed();
    return this.events.asObservable();
  }

  private ensureSubscribed(): void {
    if (this.subscriber) return;
    this.subscriber = this.redis.blocking('document-events');
    void this.subscriber.psubscribe(this.channel('*'));
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      try {
        const dealershipId = channel.slice(channel.lastIndexOf(':') + 1);
        this.events.next({ ...(JSON.parse(message) as DocumentProgressEvent), dealershipId });
      } catch {
        // A malformed message is ignored; the row is the truth.
      }
    });
  }

  private channel(dealershipId: string): string {
    return this.redis.key('documents', 'events', dealershipId);
  }

  onApplicationShutdown(): void {
    this.events.complete();
  }
}
