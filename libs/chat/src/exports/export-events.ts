import { Injectable } from '@nestjs/common';
import { DealershipEventChannel, RedisConnections, WithDealership } from '@showroom/core';
import { Observable, filter } from 'rxjs';
import type { ExportProgressEvent } from './export.view';

export type DealershipExportEvent = WithDealership<ExportProgressEvent>;

/** Export progress across pods: the worker publishes, api pods stream it to SSE clients and the realtime gateway. */
@Injectable()
export class ExportEvents extends DealershipEventChannel<ExportProgressEvent> {
  constructor(redis: RedisConnections) {
    super(redis, 'exports');
  }

  /** Events of one export of one dealership, from any pod. */
  stream(dealershipId: string, exportId: string): Observable<ExportProgressEvent> {
    return this.streamAll().pipe(filter((e) => e.dealershipId === dealershipId && e.exportId === exportId));
  }
}
