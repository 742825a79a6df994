import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, HandlesJob } from '@showroom/core';
import { DataSource } from 'typeorm';
import { CloseAbandonedAnswersJob } from './chat-maintenance.jobs';

/** Past the whole-answer limit by this much, a `streaming` answer has no producer left. */
const MARGIN_MS = 60_000;

/**
 * An answer is produced inside one api pod's request. If that pod dies (OOM, node loss), the
 * message would stay `streaming` for ever: clients would show a spinner and feedback would be
 * refused. Nothing can still be writing it once LLM_TOTAL_TIMEOUT_MS (plus a margin) has
 * passed, so this closes it as interrupted with what was saved (an empty text).
 */
@Injectable()
export class AbandonedAnswers {
  private readonly logger = new Logger(AbandonedAnswers.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @HandlesJob(CloseAbandonedAnswersJob, { repeat: { everyMs: () => 60_000, payload: {} } })
  async close(): Promise<{ closed: number }> {
    const [, closed] = (await this.dataSource.query(
      `UPDATE messages SET status = 'interrupted', error = $2
        WHERE status = 'streaming' AND created_at < now() - make_interval(secs => $1)`,
      [(this.config.llm.totalTimeoutMs + MARGIN_MS) / 1000, { code: 'ANSWER_ABANDONED', message: 'The server answering this stopped before the answer was complete.' }],
    )) as [unknown, number];
    if (closed > 0) this.logger.warn(`closed ${closed} answer(s) abandoned mid-stream`);
    return { closed };
  }
}
