import { Injectable } from '@nestjs/common';
import { DealershipEventChannel, RedisConnections, WithDealership } from '@showroom/core';
import { Observable, filter } from 'rxjs';

export interface DocumentProgressEvent {
  documentId: string;
  status: 'queued' | 'processing' | 'ready' | 'failed';
  progress: number;
  chunkCount: number;
  error: string | null;
}

export type DealershipDocumentEvent = WithDealership<DocumentProgressEvent>;

/** Document progress across pods, published by whoever changes a document's state (worker or api). */
@Injectable()
export class DocumentEvents extends DealershipEventChannel<DocumentProgressEvent> {
  constructor(redis: RedisConnections) {
    super(redis, 'documents');
  }

  /** Events of one document of one dealership, from any pod. */
  stream(dealershipId: string, documentId: string): Observable<DocumentProgressEvent> {
    return this.streamAll().pipe(filter((e) => e.dealershipId === dealershipId && e.documentId === documentId));
  }
}
