import { Inject, Injectable } from '@nestjs/common';
import { AppException, MetricsRegistry } from '@showroom/core';
import { Counter, Histogram } from 'prom-client';
import { isLlmAbort } from './llm-errors';
import type { LlmEvent, LlmPort } from './llm.port';

type Labels = 'provider' | 'model';

/**
 * Prometheus series for LLM calls, by provider and model: time to first token, total latency by
 * outcome, and tokens in and out. Outcomes are a small fixed set (ok, aborted, the port's error
 * codes, error) so labels stay bounded.
 */
@Injectable()
export class LlmMetrics {
  private readonly firstToken: Histogram<Labels>;
  private readonly duration: Histogram<Labels | 'outcome'>;
  private readonly tokens: Counter<Labels | 'direction'>;

  constructor(@Inject(MetricsRegistry) registry: MetricsRegistry) {
    this.firstToken = new Histogram({
      name: 'llm_time_to_first_token_seconds',
      help: 'Time from the LLM call to its first streamed text, by provider and model',
      labelNames: ['provider', 'model'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'llm_request_duration_seconds',
      help: 'Time from the LLM call to the end of its answer, by provider, model and outcome',
      labelNames: ['provider', 'model', 'outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
      registers: [registry],
    });
    this.tokens = new Counter({
      name: 'llm_tokens_total',
      help: 'Tokens sent to (input) and received from (output) the LLM, by provider and model',
      labelNames: ['provider', 'model', 'direction'],
      registers: [registry],
    });
  }

  /** Passes the events through unchanged, timing them and counting tokens. */
  async *observe(llm: LlmPort, events: AsyncIterable<LlmEvent>): AsyncGenerator<LlmEvent> {
    const labels = { provider: llm.provider, model: llm.model };
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let outcome = 'aborted'; // what remains if the consumer stops reading before the end
    let firstSeen = false;
    try {
      for await (const event of events) {
        if (event.type === 'delta' && !firstSeen) {
          firstSeen = true;
          this.firstToken.observe(labels, seconds());
        }
        if (event.type === 'done') {
          outcome = 'ok';
          this.tokens.inc({ ...labels, direction: 'input' }, event.usage.inputTokens);
          this.tokens.inc({ ...labels, direction: 'output' }, event.usage.outputTokens);
        }
        yield event;
      }
    } catch (error) {
      outcome = isLlmAbort(error) ? 'aborted' : error instanceof AppException ? error.code : 'error';
      throw error;
    } finally {
      this.duration.observe({ ...labels, outcome }, seconds());
    }
  }
}

/** The same LLM with every stream observed by `metrics`: consumers cannot forget to measure. */
export function withLlmMetrics(llm: LlmPort, metrics: LlmMetrics): LlmPort {
  return {
    provider: llm.provider,
    model: llm.model,
    stream: (request) => metrics.observe(llm, llm.stream(request)),
  };
}
