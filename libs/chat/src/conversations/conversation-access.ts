import { HttpStatus } from '@nestjs/common';
import { ADMIN_ROLES, Principal } from '@showroom/auth';
import { AppException } from '@showroom/core';
import type { Conversation } from './conversation.entity';

/**
 * Conversations belong to people, so only signed-in users hold them. API keys are refused
 * on every /conversations and feedback route (403, by @Roles): integrations talk to the
 * assistant through the OpenAI-compatible endpoint, which keeps no server-side thread.
 */
export type ChatUser = Extract<Principal, { kind: 'user' }>;

/**
 * Who sees a conversation: its author always; owners and admins every conversation of their
 * dealership (they answer for what the assistant tells their staff, and handle deletion
 * requests). Staff, and the platform role inside its own dealership, see only their own.
 * Another dealership's conversation never reaches this check: tenant scoping has already
 * made it "not found".
 */
export function canSeeAllOfDealership(user: ChatUser): boolean {
  return ADMIN_ROLES.includes(user.role);
}

export function canSee(user: ChatUser, conversation: Pick<Conversation, 'userId' | 'dealershipId'>): boolean {
  if (conversation.dealershipId !== user.dealershipId) return false;
  return conversation.userId === user.userId || canSeeAllOfDealership(user);
}

/** 404, not 403: whether someone else's conversation exists is not the caller's business. */
export const conversationNotFound = () =>
  new AppException(HttpStatus.NOT_FOUND, 'CONVERSATION_NOT_FOUND', 'No such conversation, or it is not yours to see.');
