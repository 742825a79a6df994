import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, ROLES, Roles, Tenant } from '@showroom/auth';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { ChatUser } from '../../conversations/conversation-access';
import { FeedbackService } from '../feedback.service';
import { FEEDBACK_RATINGS, FeedbackRating } from '../message-feedback.entity';

export const FEEDBACK_COMMENT_MAX_CHARS = 2000;

export class FeedbackDto {
  @ApiProperty({ enum: FEEDBACK_RATINGS })
  @IsIn(FEEDBACK_RATINGS)
  rating: FeedbackRating;

  @ApiPropertyOptional({ maxLength: FEEDBACK_COMMENT_MAX_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(FEEDBACK_COMMENT_MAX_CHARS)
  comment?: string;
}

/** Users only, like conversations (API keys get 403). */
@ApiTags('chat')
@ApiBearerAuth()
@Roles(...ROLES)
@Controller('messages')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  /** 200 with the caller's feedback; sending again replaces it (one per user per message). */
  @Post(':id/feedback')
  @HttpCode(200)
  rate(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string, @Body() body: FeedbackDto) {
    return this.feedback.rate(user, tenant, id, body);
  }
}
