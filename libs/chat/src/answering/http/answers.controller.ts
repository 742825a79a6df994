import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, ROLES, Roles, Tenant } from '@showroom/auth';
import { Idempotent, SseStream, clientGone } from '@showroom/core';
import type { Request, Response } from 'express';
import type { ChatUser } from '../../conversations/conversation-access';
import { ConversationAnswers } from '../conversation-answers';
import { ResumedAnswers } from '../resumed-answers';
import { PostMessageDto } from './answer.dto';
import { lastSeenSeq, wantsEventStream } from './event-stream-request';

/**
 * Asking the assistant. JSON by default; with `Accept: text/event-stream` the answer streams
 * as SSE (`token`, `citations`, then `done`, or `error`; each event's id is
 * `<assistantMessageId>:<seq>`). A dropped stream resumes on any pod at
 * GET /messages/:id/events with `Last-Event-ID`.
 */
@ApiTags('chat')
@ApiBearerAuth()
@Roles(...ROLES)
@Controller()
export class AnswersController {
  constructor(
    private readonly answers: ConversationAnswers,
    private readonly resumed: ResumedAnswers,
  ) {}

  @Post('conversations/:id/messages')
  @HttpCode(201)
  @Idempotent()
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ description: 'JSON: `{ userMessage, assistantMessage }`; SSE: token/citations/done/error events' })
  async post(
    @CurrentPrincipal() user: ChatUser,
    @CurrentTenant() tenant: Tenant,
    @Param('id', ParseUUIDPipe) conversationId: string,
    @Body() body: PostMessageDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!wantsEventStream(req)) {
      const turn = await this.answers.answer(user, tenant, conversationId, body.content, { clientGone: clientGone(res) });
      if (turn.error) throw turn.error;
      return { userMessage: turn.userMessage, assistantMessage: turn.assistantMessage };
    }
    const sse = new SseStream(res);
    try {
      // The answer is produced at the model's pace whatever the reader does (it is journaled for
      // resume), so this producer does not wait for drain; one answer's events are bounded.
      await this.answers.answer(user, tenant, conversationId, body.content, { onEvent: (event) => void sse.send(event), clientGone: sse.clientGone });
    } finally {
      if (sse.opened) sse.end();
    }
    return undefined;
  }

  /** Resumes (or replays) an answer's SSE stream after the event named by `Last-Event-ID`. */
  @Get('messages/:id/events')
  @ApiProduces('text/event-stream')
  async events(
    @CurrentPrincipal() user: ChatUser,
    @CurrentTenant() tenant: Tenant,
    @Param('id', ParseUUIDPipe) messageId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const sse = new SseStream(res);
    const events = await this.resumed.events(user, tenant, messageId, lastSeenSeq(req, messageId), sse.clientGone);
    try {
      for await (const event of events) await sse.send(event);
    } finally {
      sse.end();
    }
  }
}
