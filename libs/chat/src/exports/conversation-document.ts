import type { DocumentBlock, FileDocument } from '@showroom/files';
import type { ConversationView, MessageView } from '../conversations/conversation.views';
import { fileTime, sourceLine } from './document-text';

export interface ConversationDocumentInput {
  dealershipName: string;
  conversation: ConversationView;
  /** The conversation's author (the staff member who chatted). */
  author: { name: string; role: string };
  exportedAt: Date;
}

const STATUS_NOTES: Partial<Record<MessageView['status'], string>> = {
  interrupted: 'This answer was interrupted before it was finished.',
  failed: 'The assistant could not answer this question.',
  streaming: 'This answer was still being written when the export was made.',
};

/**
 * A conversation as a file: who, where and when, then every message in order with its
 * citations as numbered sources, and the same as one CSV row per message.
 */
export function conversationDocument(input: ConversationDocumentInput): FileDocument {
  const { conversation, author } = input;
  const title = conversation.title ?? 'Untitled conversation';
  const speaker = (m: MessageView) => (m.role === 'user' ? author.name : 'Assistant');
  const blocks: DocumentBlock[] = [
    {
      kind: 'fields',
      items: [
        { label: 'Dealership', value: input.dealershipName },
        { label: 'Conversation', value: title },
        { label: 'Participants', value: `${author.name} (${author.role}), Assistant` },
        { label: 'Started', value: fileTime(conversation.createdAt) },
        { label: 'Last activity', value: fileTime(conversation.updatedAt) },
        { label: 'Messages', value: String(conversation.messages.length) },
        { label: 'Exported', value: fileTime(input.exportedAt) },
      ],
    },
  ];
  for (const message of conversation.messages) {
    blocks.push({ kind: 'heading', level: 2, text: `${speaker(message)} · ${fileTime(message.createdAt)}` });
    if (message.content.length > 0) blocks.push({ kind: 'paragraph', text: message.content });
    const note = STATUS_NOTES[message.status];
    if (note) blocks.push({ kind: 'paragraph', text: note, muted: true });
    if (message.citations.length > 0) {
      blocks.push({ kind: 'heading', level: 3, text: 'Sources' });
      blocks.push({ kind: 'list', ordered: true, items: message.citations.map(sourceLine) });
    }
  }
  return {
    title: `Conversation: ${title}`,
    subtitle: input.dealershipName,
    blocks,
    records: {
      columns: ['conversation_title', 'message_number', 'time_utc', 'role', 'author', 'status', 'content', 'sources'],
      rows: conversation.messages.map((m, i) => [
        title,
        i + 1,
        m.createdAt,
        m.role,
        speaker(m),
        m.status,
        m.content,
        m.citations.map((c, n) => `[${n + 1}] ${sourceLine(c)}`).join('\n'),
      ]),
    },
  };
}
