import { SseStream } from '@showroom/core';
import type { Response } from 'express';
import { AnswerEnd, chunkOf, CompletionMeta, contentChoice, finishChoice, roleChoice, showroomExtra, usageOf } from './completion-mappers';

/**
 * Writes one answer as OpenAI's streaming wire format: `data: <chat.completion.chunk>` lines —
 * the role chunk, content chunks, the chunk with finish_reason, the usage chunk when asked —
 * then `data: [DONE]`. Headers go out with the first answer event, so a failure before it
 * (model unavailable, first-token timeout) is still an HTTP status the client can retry on;
 * a failure after it is written as an `error` data line by OpenAiErrorFilter. No keep-alive
 * comments: OpenAI sends none, and the bytes stay exactly OpenAI's. Each write waits for the
 * socket to drain, so a slow reader slows the upstream stream instead of filling memory.
 */
export class CompletionStream {
  private readonly sse: SseStream;

  constructor(
    res: Response,
    private readonly meta: CompletionMeta,
    private readonly includeUsage: boolean,
  ) {
    this.sse = new SseStream(res, { heartbeatMs: 0 });
  }

  async delta(text: string): Promise<void> {
    await this.open();
    await this.send(chunkOf(this.meta, [contentChoice(text)], { includeUsage: this.includeUsage }));
  }

  async finish(end: AnswerEnd): Promise<void> {
    await this.open();
    await this.send(chunkOf(this.meta, [finishChoice(end)], { includeUsage: this.includeUsage }, { showroom: showroomExtra(end) }));
    if (this.includeUsage) await this.send(chunkOf(this.meta, [], { includeUsage: true, value: usageOf(end) }));
    this.sse.end({ data: '[DONE]' });
  }

  private async open(): Promise<void> {
    if (this.sse.opened) return;
    await this.send(chunkOf(this.meta, [roleChoice()], { includeUsage: this.includeUsage }));
  }

  private send(chunk: object): Promise<void> {
    return this.sse.send({ data: chunk });
  }
}
