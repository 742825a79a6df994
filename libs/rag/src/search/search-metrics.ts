import { Inject, Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@showroom/core';
import { Histogram } from 'prom-client';

/** Retrieval latency by mode and vector store: the part of time to first token that is ours. */
@Injectable()
export class SearchMetrics {
  private readonly duration: Histogram<'mode' | 'store'>;

  constructor(@Inject(MetricsRegistry) registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'retrieval_duration_seconds',
      help: 'Time to retrieve passages from the knowledge base, by search mode and vector store',
      labelNames: ['mode', 'store'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  startTimer(mode: string, store: string): () => void {
    const end = this.duration.startTimer({ mode, store });
    return () => void end();
  }
}
