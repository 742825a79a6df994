import { useParams } from 'react-router';
import { AvatarPanel } from '../avatar/avatar-panel';
import { ConversationList } from './conversation-list';
import { Thread } from './thread';

export function ChatPage() {
  const { conversationId } = useParams();
  return (
    <div className="chat-layout">
      <ConversationList activeId={conversationId} />
      <Thread conversationId={conversationId} />
      <AvatarPanel conversationId={conversationId} />
    </div>
  );
}
