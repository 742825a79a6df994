import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, ROLES, Roles, Tenant } from '@showroom/auth';
import { Idempotent, SseStream, clientGone } from '@showroom/core';
import type { Request, Response } from 'express';
import { AvatarSpeaker } from '../speaking/avatar-speaker';
import { AvatarSessions, AvatarUser } from '../sessions/avatar-sessions.service';
import { CreateAvatarSessionDto, SpeakDto } from './avatar-sessions.dto';

const wantsEventStream = (req: Request) => (req.headers.accept ?? '').includes('text/event-stream');

/**
 * Talking-avatar sessions of signed-in users (API keys: 403). Each session is its user's
 * alone: anyone else's id, in any dealership, is 404. The console joins the LiveKit room
 * with `livekitUrl` + `livekitToken`, calls GET or POST keep-alive well within
 * AVATAR_CLIENT_TIMEOUT_SECONDS, and DELETEs the session when the user leaves.
 */
@ApiTags('avatar')
@ApiBearerAuth()
@Roles(...ROLES)
@Controller('avatar/sessions')
export class AvatarSessionsController {
  constructor(
    private readonly sessions: AvatarSessions,
    private readonly speaker: AvatarSpeaker,
  ) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  create(@CurrentPrincipal() user: AvatarUser, @CurrentTenant() tenant: Tenant, @Body() body: CreateAvatarSessionDto) {
    return this.sessions.create(user, tenant, body);
  }

  @Get(':id')
  get(@CurrentPrincipal() user: AvatarUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.get(user, tenant, id);
  }

  @Post(':id/keep-alive')
  @HttpCode(200)
  keepAlive(@CurrentPrincipal() user: AvatarUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.keepAlive(user, tenant, id);
  }

  /**
   * Asks the assistant and has the avatar say the grounded answer, sentence by sentence. JSON
   * by default (`{ userMessage, assistantMessage, spoken }`); with `Accept: text/event-stream`
   * chat's events (`token`, `citations`, `done`/`error`) plus `avatar.speaking` for each
   * sentence sent to the avatar (with `clientCommand` to relay in LiveAvatar FULL mode),
   * `avatar.interrupted`, `avatar.ended`, `avatar.error`, and `avatar.done` last.
   */
  @Post(':id/speak')
  @HttpCode(201)
  @Idempotent()
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ description: 'JSON: `{ userMessage, assistantMessage, spoken }`; SSE: chat events plus avatar.* events' })
  async speak(
    @CurrentPrincipal() user: AvatarUser,
    @CurrentTenant() tenant: Tenant,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SpeakDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!wantsEventStream(req)) {
      const turn = await this.speaker.speak(user, tenant, id, body.content, { clientGone: clientGone(res) });
      if (turn.error) throw turn.error;
      return { userMessage: turn.userMessage, assistantMessage: turn.assistantMessage, spoken: turn.spoken };
    }
    const sse = new SseStream(res);
    try {
      await this.speaker.speak(user, tenant, id, body.content, { onEvent: (event) => void sse.send(event), clientGone: sse.clientGone });
    } finally {
      if (sse.opened) sse.end();
    }
    return undefined;
  }

  @Post(':id/interrupt')
  @HttpCode(200)
  interrupt(@CurrentPrincipal() user: AvatarUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.speaker.interrupt(user, tenant, id);
  }

  /** Ends the session at the vendor at once; answers the ended session with its seconds used. */
  @Delete(':id')
  end(@CurrentPrincipal() user: AvatarUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.end(user, tenant, id);
  }
}
