import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContextStore {
  requestId: string;
  /** What every log line written while doing this work carries (the request id included). */
  logFields: Readonly<Record<string, unknown>>;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/**
 * The request id of the work being done right now: an HTTP request in the api, or the
 * request that enqueued a job in the worker. Kept in AsyncLocalStorage so services do not
 * have to thread it through every call.
 *
 * It also holds the fields every log line of that work carries (the request's method and URL,
 * a job's queue and id): the root logger's `mixin` reads them per line (see LoggingModule).
 * That costs nothing for the many requests that log no line of their own, where a child logger
 * per request cost its bindings' serialisation through redaction each time (7-8% of a logged
 * 404's CPU).
 */
export const RequestContext = {
  run<T>(requestId: string, fn: () => T, logFields: Record<string, unknown> = {}): T {
    return storage.run({ requestId, logFields: { requestId, ...logFields } }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  /** A fresh object per call: pino merges each line's own fields into what its mixin returns. */
  logFields(): Record<string, unknown> {
    const store = storage.getStore();
    return store ? { ...store.logFields } : {};
  },
};
