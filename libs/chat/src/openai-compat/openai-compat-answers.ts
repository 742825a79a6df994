import { Injectable, Logger } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import type { AnswerEvent } from '../answering/grounded-answerer';
import { GroundedAnswerer } from '../answering/grounded-answerer';
import { DEFAULT_SYSTEM_PROMPT } from '../prompt/system-prompt';
import { AssistantSettingsService } from '../settings/assistant-settings.service';
import { UsageService } from '../usage/usage.service';
import type { ChatCompletionRequest } from './chat-completion-request';

/**
 * A grounded answer for an OpenAI client: stateless (the client sends the whole conversation,
 * nothing is stored as a conversation), from the caller's dealership's knowledge, with usage
 * counted for the dealership whenever a model answered.
 */
@Injectable()
export class OpenAiCompatAnswers {
  private readonly logger = new Logger(OpenAiCompatAnswers.name);

  constructor(
    private readonly answerer: GroundedAnswerer,
    private readonly settings: AssistantSettingsService,
    private readonly usage: UsageService,
  ) {}

  async *answer(tenant: Tenant, request: ChatCompletionRequest, signal: AbortSignal): AsyncGenerator<AnswerEvent> {
    const systemPrompt = await this.systemPrompt(tenant, request.clientInstructions);
    for await (const event of this.answerer.answer({ tenant, question: request.question, history: request.history, systemPrompt, signal })) {
      // Counted before the end goes out, so a client that reads usage right after sees it.
      if (event.type === 'end' && event.model !== null) await this.recordUsage(tenant, event);
      yield event;
    }
  }

  /**
   * The dealership's prompt (or the default) stays first and a client's system messages are
   * added after it, so an integration can shape tone or format but not replace the
   * dealership's instructions; the prompt builder appends the grounding rules after both.
   */
  private async systemPrompt(tenant: Tenant, clientInstructions: string | null): Promise<string | null> {
    const own = await this.settings.systemPromptFor(tenant.dealershipId);
    if (!clientInstructions) return own;
    return `${own ?? DEFAULT_SYSTEM_PROMPT}\n\nInstructions from the application you are used through:\n${clientInstructions}`;
  }

  /** A lost usage row must not take away an answer the model already gave; it is logged loudly instead. */
  private async recordUsage(tenant: Tenant, end: Extract<AnswerEvent, { type: 'end' }>): Promise<void> {
    try {
      await this.usage.record(tenant, { model: end.model!, inputTokens: end.inputTokens, outputTokens: end.outputTokens });
    } catch (error) {
      this.logger.error(`usage of dealership ${tenant.dealershipId} not recorded (${end.model}, ${end.inputTokens}+${end.outputTokens} tokens): ${(error as Error).message}`);
    }
  }
}
