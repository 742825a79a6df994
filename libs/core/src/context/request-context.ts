import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContextStore {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/**
 * The request id of the work being done right now: an HTTP request in the api, or the
 * request that enqueued a job in the worker. Kept in AsyncLocalStorage so services do not
 * have to thread it through every call.
 */
export const RequestContext = {
  run<T>(requestId: string, fn: () => T): T {
    return storage.run({ requestId }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
