import { useParams } from 'react-router';
import { ConversationList } from './conversation-list';
import { Thread } from './thread';

export function ChatPage() {
  const { conversationId } = useParams();
  return (
    <div className="chat-layout">
      <ConversationList activeId={conversationId} />
      <Thread conversationId={conversationId} />
      {/* The talking avatar arrives with its issue; this is where it will appear. */}
      <aside className="avatar-area" aria-label="Avatar">
        <div className="avatar-placeholder" aria-hidden="true">
          ◎
        </div>
        <p className="muted">The avatar will appear here.</p>
      </aside>
    </div>
  );
}
