import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig, clientGone } from '@showroom/core';
import type { Response } from 'express';
import type { AnswerEvent } from '../answering/grounded-answerer';
import { llmErrors } from '../llm/llm-errors';
import { SYSTEM_PROMPT_MAX_CHARS } from '../settings/assistant-settings.service';
import { ASSISTANT_MODEL_ID, parseChatCompletionRequest } from './chat-completion-request';
import { AnswerEnd, assistantModel, completionOf, modelList, newCompletionMeta } from './completion-mappers';
import { CompletionStream } from './completion-stream';
import { OpenAiCompatAnswers } from './openai-compat-answers';
import { modelNotFound } from './openai-errors';
import { OpenAiErrorFilter } from './openai-error.filter';

/**
 * OpenAI's chat-completions API over the caller's dealership's grounded assistant, at /v1
 * (outside /api/v1, where OpenAI clients look for it). Any authenticated caller of the
 * dealership may use it: an API key (meant for integrations) or a user's access token.
 */
@ApiTags('openai-compatible')
@ApiBearerAuth()
@UseFilters(OpenAiErrorFilter)
@Controller('v1')
export class OpenAiCompatController {
  constructor(
    private readonly answers: OpenAiCompatAnswers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('models')
  @ApiOperation({ summary: 'The models this endpoint answers with (one: the grounded assistant)' })
  models() {
    return modelList();
  }

  @Get('models/:model')
  model(@Param('model') model: string) {
    if (model !== ASSISTANT_MODEL_ID) throw modelNotFound(model);
    return assistantModel();
  }

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({ summary: "OpenAI chat completion answered from the dealership's knowledge (stream: true for SSE chunks)" })
  async completions(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const request = parseChatCompletionRequest(body, { questionMaxChars: this.config.chat.messageMaxChars, instructionsMaxChars: SYSTEM_PROMPT_MAX_CHARS });
    if (request.model !== ASSISTANT_MODEL_ID) throw modelNotFound(request.model);
    // The client leaving aborts the upstream LLM call at once (there is no resume here).
    const gone = clientGone(res);
    const events = this.answers.answer(tenant, request, gone);
    const meta = newCompletionMeta();
    try {
      if (!request.stream) {
        res.status(200).json(completionOf(meta, await endOf(events)));
        return;
      }
      const stream = new CompletionStream(res, meta, request.includeUsage);
      for await (const event of events) {
        if (event.type === 'delta') await stream.delta(event.text);
        else await stream.finish(event);
      }
    } catch (error) {
      // The client left and its abort stopped the model: nobody is left to tell.
      if (gone.aborted) return;
      throw error;
    }
  }
}

async function endOf(events: AsyncIterable<AnswerEvent>): Promise<AnswerEnd> {
  for await (const event of events) if (event.type === 'end') return event;
  throw llmErrors.badResponse('answer', 'the answer ended without finishing');
}
