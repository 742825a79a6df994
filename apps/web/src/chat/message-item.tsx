import { splitMarkers } from './citation-markers';
import { CitationText } from './citation-text';
import type { ChatMessage } from './chat-message';
import { isIDontKnow } from './chat-message';
import { CopyButton } from './copy-button';
import { ReadAloudButton } from '../voice/read-aloud-button';
import { FeedbackControls } from './feedback-controls';

/** What is read aloud: the answer without its `[n]` markers. */
const spokenText = (content: string) => splitMarkers(content).map((p) => ('text' in p ? p.text : '')).join('').replace(/\s+([.,;:!?])/g, '$1');

const STATUS_NOTE: Partial<Record<ChatMessage['status'] | 'stored_streaming', string>> = {
  streaming: 'Writing…',
  // A stored answer still streaming: another tab's, or one just stopped whose grace period has not run out.
  stored_streaming: 'This answer was still being written when the conversation was loaded; open it again to see the rest.',
  stopped: 'Stopped. The answer above is what was written before you stopped it.',
  interrupted: 'This answer was interrupted before it was finished.',
  failed: 'The assistant could not answer.',
};

export function MessageItem({ message, onOpenCitation, onRetry }: { message: ChatMessage; onOpenCitation: (m: ChatMessage, index: number, number: number) => void; onRetry?: () => void }) {
  if (message.role === 'user') {
    return (
      <li className="message user">
        <p className="message-author">You</p>
        <p className="message-text">{message.content}</p>
      </li>
    );
  }
  const unknown = isIDontKnow(message);
  const note = STATUS_NOTE[message.status === 'streaming' && !message.question ? 'stored_streaming' : message.status];
  return (
    <li className={`message assistant${unknown ? ' unknown' : ''}`} aria-busy={message.status === 'streaming'}>
      <p className="message-author">
        Assistant {unknown && <span className="badge">Not in the documents</span>}
      </p>
      <p className="message-text">
        <CitationText text={message.content} citations={message.citations} onOpen={(i, n) => onOpenCitation(message, i, n)} />
      </p>
      {note && <p className="message-note">{note}</p>}
      {message.error && (
        <p role="alert" className="error-text">
          {message.error}
        </p>
      )}
      <div className="message-actions">
        {message.content && message.status !== 'streaming' && <CopyButton text={message.content} />}
        {message.content && message.status === 'complete' && <ReadAloudButton text={spokenText(message.content)} />}
        {onRetry && (message.status === 'failed' || message.status === 'stopped' || message.status === 'interrupted') && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
        {message.id && message.status === 'complete' && <FeedbackControls messageId={message.id} />}
      </div>
    </li>
  );
}
