import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, ROLES, Roles, Tenant } from '@showroom/auth';
import type { Request, Response } from 'express';
import type { ChatUser } from '../../conversations/conversation-access';
import { ConversationAnswers } from '../conversation-answers';
import { ResumedAnswers } from '../resumed-answers';
import { PostMessageDto } from './answer.dto';
import { SseWriter, lastSeenSeq, wantsEventStream } from './sse-writer';

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
      const gone = new AbortController();
      res.on('close', () => !res.writableFinished && gone.abort());
      const turn = await this.answers.answer(user, tenant, conversationId, body.content, { clientGone: gone.signal });
      if (turn.error) throw turn.error;
      return { userMessage: turn.userMessage, assistantMessage: turn.assistantMessage };
    }
    const sse = new SseWriter(res);
    try {
      await this.answers.answer(user, tenant, conversationId, body.content, { onEvent: (event) => sse.write(event), clientGone: sse.gone });
    } finally {
      if (res.headersSent) sse.end();
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
    const sse = new SseWriter(res);
    const events = await this.resumed.events(user, tenant, messageId, lastSeenSeq(req, messageId), sse.gone);
    try {
      for await (const event of events) sse.write(event);
    } finally {
      sse.end();
    }
  }
}
