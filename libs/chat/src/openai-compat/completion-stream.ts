import type { Response } from 'express';
import { AnswerEnd, chunkOf, CompletionMeta, contentChoice, finishChoice, roleChoice, showroomExtra, usageOf } from './completion-mappers';

/**
 * Writes one answer as OpenAI's streaming wire format: `data: <chat.completion.chunk>` lines —
 * the role chunk, content chunks, the chunk with finish_reason, the usage chunk when asked —
 * then `data: [DONE]`. Headers go out with the first answer event, so a failure before it
 * (model unavailable, first-token timeout) is still an HTTP status the client can retry on;
 * a failure after it is written as an `error` data line by OpenAiErrorFilter.
 */
export class CompletionStream {
  private opened = false;

  constructor(
    private readonly res: Response,
    private readonly meta: CompletionMeta,
    private readonly includeUsage: boolean,
  ) {}

  delta(text: string): void {
    this.open();
    this.send(chunkOf(this.meta, [contentChoice(text)], { includeUsage: this.includeUsage }));
  }

  finish(end: AnswerEnd): void {
    this.open();
    this.send(chunkOf(this.meta, [finishChoice(end)], { includeUsage: this.includeUsage }, { showroom: showroomExtra(end) }));
    if (this.includeUsage) this.send(chunkOf(this.meta, [], { includeUsage: true, value: usageOf(end) }));
    if (!this.res.writableEnded) this.res.end('data: [DONE]\n\n');
  }

  private open(): void {
    if (this.opened) return;
    this.opened = true;
    this.res.status(200);
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-cache, no-transform');
    // Proxies such as nginx would otherwise buffer the tokens.
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.flushHeaders();
    this.send(chunkOf(this.meta, [roleChoice()], { includeUsage: this.includeUsage }));
  }

  private send(chunk: object): void {
    if (!this.res.writableEnded) this.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }
}
