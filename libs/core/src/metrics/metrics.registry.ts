import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per application instance rather than prom-client's global one, so an api and
 * a worker built in the same process (as tests do) keep separate metrics.
 */
export class MetricsRegistry extends Registry {
  constructor(app: string) {
    super();
    this.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this });
  }
}
