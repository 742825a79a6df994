import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { EMBEDDER, type Embedder } from '../embeddings/embedder.port';
import { VECTOR_STORE, type VectorStore } from '../vector-store/vector-store.port';
import { LexicalIndex } from './lexical/lexical-index';
import { RecentDealerships } from './recent-dealerships';
import { SearchThread } from './thread/search-thread';

/** Dealerships searched within this window are warmed at start. */
const RECENT_MS = 24 * 3_600_000;

/**
 * At api start, in the background: if any dealership was searched in the last day on any pod,
 * starts the search thread (it loads the English word frequencies BM25's coverage needs, ~1 s)
 * and loads the indexes of the dealerships searched most recently, least recent first so the
 * most recent stay if the memory budgets run out. A question arriving meanwhile joins the load in flight (GenerationCache shares it),
 * so it waits less than a cold start, never more. Registered by the api only (RagHttpModule).
 */
@Injectable()
export class SearchWarmup implements OnApplicationBootstrap {
  private readonly logger = new Logger(SearchWarmup.name);
  private warming: Promise<void> = Promise.resolve();
  private settled = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(VECTOR_STORE) private readonly vectorStore: VectorStore,
    private readonly lexical: LexicalIndex,
    private readonly thread: SearchThread,
    private readonly recent: RecentDealerships,
  ) {}

  onApplicationBootstrap(): void {
    this.warming = this.warm()
      .catch((error: Error) => this.logger.warn(`warm-up stopped: ${error.message}`))
      .finally(() => {
        this.settled = true;
      });
  }

  /** Whether the start-up warm-up has finished (or stopped); false until the app has bootstrapped. */
  isWarm(): boolean {
    return this.settled;
  }

  /** Settles when the start-up warm-up has finished (or stopped): for a readiness gate or a benchmark. */
  whenWarm(): Promise<void> {
    return this.warming;
  }

  private async warm(): Promise<void> {
    const limit = this.config.knowledge.searchWarmDealerships;
    if (limit === 0) return;
    const dealerships = (await this.recent.list(limit, RECENT_MS)).reverse();
    // Nobody searched lately (a new deployment, a test): the thread starts with the first search.
    if (dealerships.length === 0) return;
    const threadReady = this.thread.start();
    threadReady.catch(() => {}); // awaited below; reported from there, not as unhandled meanwhile
    // Vectors only where hybrid reads them (a semantic embedder) and the store keeps them here.
    const vectors = this.embedder.wordsOnly ? undefined : this.vectorStore.warm?.bind(this.vectorStore);
    const started = performance.now();
    for (const dealershipId of dealerships) {
      await this.lexical.warm(dealershipId);
      await vectors?.(dealershipId);
    }
    await threadReady;
    this.logger.log(`warmed the search indexes of ${dealerships.length} dealership(s) in ${Math.round(performance.now() - started)} ms`);
  }
}
