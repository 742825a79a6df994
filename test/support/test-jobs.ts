import { Injectable, Logger, Module } from '@nestjs/common';
import { HandlesJob, JobContext, defineJob } from '@showroom/core';
import { setTimeout as sleep } from 'node:timers/promises';

export interface NotePayload {
  note: string;
  /** How long the handler works, to observe jobs in flight. */
  workMs?: number;
  /** The handler throws on the first `failTimes` attempts. */
  failTimes?: number;
}

/** A job kind that exists only in tests, to observe what the queue machinery does with it. */
export const RecordNoteJob = defineJob<NotePayload>({
  queue: 'file-generation',
  name: 'test.record-note',
  options: { attempts: 3, backoff: { type: 'fixed', delay: 20 } },
});

export interface HandledNote {
  note: string;
  context: JobContext;
  finishedAt?: number;
}

@Injectable()
export class RecordNoteHandler {
  private readonly logger = new Logger(RecordNoteHandler.name);
  readonly handled: HandledNote[] = [];
  readonly started: string[] = [];

  @HandlesJob(RecordNoteJob)
  async record(payload: NotePayload, context: JobContext): Promise<{ note: string }> {
    this.started.push(payload.note);
    if (payload.workMs) await sleep(payload.workMs);
    if (payload.failTimes && context.attempt <= payload.failTimes) throw new Error(`planned failure ${context.attempt}`);
    this.handled.push({ note: payload.note, context, finishedAt: Date.now() });
    this.logger.log(`recorded note ${payload.note}`);
    return { note: payload.note };
  }
}

@Module({ providers: [RecordNoteHandler], exports: [RecordNoteHandler] })
export class RecordNoteModule {}
