import type { TenantScopedRepository } from '@showroom/auth';
import { ChatUser, canSee, conversationNotFound } from './conversation-access';
import type { Conversation } from './conversation.entity';

/**
 * The conversation if the caller may see it, else 404 (conversation-access.ts). `lock` holds
 * its row for the caller's transaction (a question stored while the conversation is deleted
 * must wait for, or see, that delete).
 */
export async function visibleConversation(
  conversations: TenantScopedRepository<Conversation>,
  user: ChatUser,
  id: string,
  lock?: 'pessimistic_write',
): Promise<Conversation> {
  const conversation = lock ? await conversations.findOne({ where: { id }, lock: { mode: lock } }) : await conversations.findOneBy({ id });
  if (!conversation || !canSee(user, conversation)) throw conversationNotFound();
  return conversation;
}
