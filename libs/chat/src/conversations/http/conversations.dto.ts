import { ApiPropertyOptional } from '@nestjs/swagger';
import { ListQueryDto } from '@showroom/core';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { ConversationScope } from '../conversations.service';

export const CONVERSATION_TITLE_MAX_CHARS = 200;

export class CreateConversationDto {
  @ApiPropertyOptional({ description: 'Defaults to the first message, cut to about 80 characters', maxLength: CONVERSATION_TITLE_MAX_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(CONVERSATION_TITLE_MAX_CHARS)
  title?: string;
}

export class ListConversationsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['mine', 'dealership'], default: 'mine', description: '`dealership` (owners and admins only) lists every conversation of the dealership' })
  @IsOptional()
  @IsIn(['mine', 'dealership'])
  scope?: ConversationScope;
}
