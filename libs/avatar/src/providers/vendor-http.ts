import { HttpStatus } from '@nestjs/common';
import { AppException, providerBreaker } from '@showroom/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { providerFailed, providerTimeout } from './provider-errors';

export interface VendorResponse {
  status: number;
  /** The parsed JSON body; undefined when it was not JSON. */
  body: Record<string, unknown> | undefined;
}

/** A failure that is the vendor's (timeout, unreachable, 5xx, 429): worth a retry before a session exists, and counted by the breaker. */
class VendorUnavailable extends AppException {
  readonly retryable = true;
}

export interface VendorHttpOptions {
  provider: string;
  baseUrl: string;
  timeoutMs: number;
  /** Retries for calls made before a session exists. */
  maxRetries: number;
}

/**
 * JSON POSTs to one avatar vendor (neither HeyGen nor LiveAvatar ships a server SDK; their
 * SDKs are browser clients built on fetch, as this is). Every call has a deadline; the
 * vendor's own failures go through one circuit breaker per vendor, so while it is down
 * calls fail at once with 503 PROVIDER_UNAVAILABLE. A 4xx resolves: it says something about
 * the request or the session (for example "session not found"), not about the vendor's health.
 */
export class VendorHttp {
  private readonly guarded: (path: string, headers: Record<string, string>, body: unknown) => Promise<VendorResponse>;

  constructor(private readonly options: VendorHttpOptions) {
    this.guarded = providerBreaker(options.provider, (path: string, headers: Record<string, string>, body: unknown) => this.once(path, headers, body));
  }

  /** One attempt; never retried (use for anything after the session started). */
  post(path: string, headers: Record<string, string>, body: unknown = {}): Promise<VendorResponse> {
    return this.guarded(path, headers, body);
  }

  /** Before a session exists nothing can be said twice, so timeouts and 5xx are retried with exponential backoff and jitter. */
  async postRetrying(path: string, headers: Record<string, string>, body: unknown = {}): Promise<VendorResponse> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.guarded(path, headers, body);
      } catch (error) {
        if (!(error instanceof VendorUnavailable) || attempt >= this.options.maxRetries) throw error;
        await sleep(Math.round(100 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
  }

  private async once(path: string, headers: Record<string, string>, body: unknown): Promise<VendorResponse> {
    const { provider, baseUrl, timeoutMs } = this.options;
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(path, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      const timeout = providerTimeout(provider);
      if ((error as Error).name === 'TimeoutError') throw new VendorUnavailable(timeout.status, timeout.code, timeout.message);
      throw new VendorUnavailable(HttpStatus.SERVICE_UNAVAILABLE, 'PROVIDER_UNAVAILABLE', `${provider} cannot be reached right now; try again shortly.`);
    }
    if (res.status >= 500 || res.status === 429) {
      const failed = providerFailed(provider, `HTTP ${res.status}`);
      throw new VendorUnavailable(failed.status, failed.code, failed.message);
    }
    return { status: res.status, body: parseJson(text) };
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
