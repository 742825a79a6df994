import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RedisConnections } from '@showroom/core';

export type ChatEventName = 'token' | 'citations' | 'done' | 'error';

/** One event of an answer's stream; `seq` counts from 1 within the answer. */
export interface JournaledEvent {
  seq: number;
  event: ChatEventName;
  data: unknown;
}

/** How often a resuming reader looks for new events (a poll costs one XRANGE on the shared connection). */
const POLL_MS = 50;

export const isTerminal = (event: ChatEventName) => event === 'done' || event === 'error';

/**
 * Every event of an answer, kept in a Redis stream for CHAT_STREAM_RETENTION_SECONDS so a
 * client whose connection dropped can resume on any api pod from the last event it saw.
 * Entry ids are `<seq>-0`: the SSE event id maps straight onto a stream position, so
 * "after event 17" is one XRANGE and nothing is missed or repeated.
 *
 * While a resumed client reads, it keeps a "watched" key alive; the pod producing the answer
 * checks it before aborting the upstream call for a client that went away.
 */
@Injectable()
export class AnswerJournal {
  constructor(
    private readonly redis: RedisConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Queued on the auto-pipelined connection in call order; ioredis keeps that order, so callers
   * need not await each token. Awaiting the last append waits for all before it. One XADD per
   * token, but the appends of every answer made in one event-loop turn reach Redis in one
   * write (with 1,000 answers streaming, one write per token cost more CPU than anything else
   * chat does per token; BENCHMARKS.md). The retention is set with the first event and renewed
   * with the last (an answer is bounded by LLM_TOTAL_TIMEOUT_MS, well inside
   * CHAT_STREAM_RETENTION_SECONDS).
   */
  append(messageId: string, entry: JournaledEvent): Promise<unknown> {
    const key = this.key(messageId);
    const redis = this.redis.pipelined;
    const added = redis.xadd(key, `${entry.seq}-0`, 'event', entry.event, 'data', JSON.stringify(entry.data));
    if (entry.seq !== 1 && !isTerminal(entry.event)) return added;
    return Promise.all([added, redis.expire(key, this.config.chat.streamRetentionSeconds)]);
  }

  /** Events after `afterSeq`, then new ones as they come, until a terminal event or `signal`. */
  async *follow(messageId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<JournaledEvent> {
    let last = afterSeq;
    while (!signal.aborted) {
      const entries = await this.redis.shared.xrange(this.key(messageId), `(${last}-0`, '+');
      for (const [id, fields] of entries) {
        const entry = parseEntry(id, fields);
        last = entry.seq;
        yield entry;
        if (isTerminal(entry.event)) return;
      }
      if (entries.length === 0) {
        if (!(await this.exists(messageId))) return;
        await sleep(POLL_MS, signal);
      }
    }
  }

  async exists(messageId: string): Promise<boolean> {
    return (await this.redis.shared.exists(this.key(messageId))) === 1;
  }

  /** Marks the answer as read by a resumed client for the next `ttlMs`. */
  async markWatched(messageId: string, ttlMs: number): Promise<void> {
    await this.redis.shared.set(this.key(messageId, 'watched'), '1', 'PX', ttlMs);
  }

  async isWatched(messageId: string): Promise<boolean> {
    return (await this.redis.shared.exists(this.key(messageId, 'watched'))) === 1;
  }

  private key(messageId: string, ...rest: string[]): string {
    return this.redis.key('chat', 'answer', messageId, ...rest);
  }
}

function parseEntry(id: string, fields: string[]): JournaledEvent {
  const values = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) values.set(fields[i], fields[i + 1]);
  return { seq: Number(id.split('-')[0]), event: values.get('event') as ChatEventName, data: JSON.parse(values.get('data') ?? 'null') };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
