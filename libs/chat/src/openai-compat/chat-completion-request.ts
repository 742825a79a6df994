import { z } from 'zod';
import { invalidRequest } from './openai-errors';

/** The one model /v1/models lists: the dealership's grounded assistant, whatever LLM runs behind it. */
export const ASSISTANT_MODEL_ID = 'showroom-assistant';

/**
 * The fields of OpenAI's chat-completions request we act on. Everything else (temperature,
 * max_tokens, tools, user, ...) is accepted and ignored, as OpenAI-compatible servers do, so
 * clients that always send them keep working; answers stay grounded whatever they ask for.
 */
const contentPart = z.object({ type: z.string(), text: z.string().optional() });
const message = z.object({
  // developer is OpenAI's newer name for system; tool/function turns are accepted and skipped (no tools here).
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});
const requestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  // One answer per request: there is one grounded answer to give.
  n: z.literal(1).nullish(),
});

type RequestMessage = z.infer<typeof message>;

export interface ChatCompletionRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** The last user message. */
  question: string;
  /** User and assistant turns before it, oldest first. */
  history: { role: 'user' | 'assistant'; content: string }[];
  /** The client's system/developer messages, joined; null when there are none. */
  clientInstructions: string | null;
}

export interface RequestLimits {
  /** CHAT_MESSAGE_MAX_CHARS: the question's limit, as in the conversation endpoints. */
  questionMaxChars: number;
  instructionsMaxChars: number;
}

/** Validates an OpenAI chat-completions body and splits it into what a grounded answer needs. Throws OpenAI 400s. */
export function parseChatCompletionRequest(body: unknown, limits: RequestLimits): ChatCompletionRequest {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = paramOf(issue.path);
    throw invalidRequest(`Invalid value for '${param || 'body'}': ${issue.message}`, param || null);
  }
  const { messages } = parsed.data;
  const texts = messages.map((m, i) => textOf(m, i));
  const last = messages.findLastIndex((m) => m.role === 'user');
  if (last === -1) throw invalidRequest('messages must contain at least one message with role "user": its last one is the question.', 'messages');
  if (messages.slice(last + 1).some((m) => m.role === 'assistant')) {
    throw invalidRequest('The last user or assistant message must be from the user: it is the question the assistant answers.', 'messages');
  }
  const question = texts[last];
  if (question.trim().length === 0) throw invalidRequest('The question (the last user message) is empty.', `messages[${last}].content`);
  if (question.length > limits.questionMaxChars) {
    throw invalidRequest(`The question is longer than ${limits.questionMaxChars} characters.`, `messages[${last}].content`, 'string_above_max_length');
  }
  const instructions = messages.flatMap((m, i) => ((m.role === 'system' || m.role === 'developer') && texts[i].trim() ? [texts[i].trim()] : [])).join('\n\n');
  if (instructions.length > limits.instructionsMaxChars) {
    throw invalidRequest(`The system messages together are longer than ${limits.instructionsMaxChars} characters.`, 'messages', 'string_above_max_length');
  }
  const history = messages
    .slice(0, last)
    .flatMap((m, i) => ((m.role === 'user' || m.role === 'assistant') && texts[i].trim() ? [{ role: m.role, content: texts[i] }] : []));
  return {
    model: parsed.data.model,
    stream: parsed.data.stream === true,
    includeUsage: parsed.data.stream_options?.include_usage === true,
    question,
    history,
    clientInstructions: instructions || null,
  };
}

/** A string, or text parts joined by new lines; other part types (images, audio, files) are refused, not silently dropped. */
function textOf(message: RequestMessage, index: number): string {
  const { content } = message;
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, j) => {
      if (part.type !== 'text' || part.text === undefined) {
        throw invalidRequest(`Only text content parts are supported; got "${part.type}".`, `messages[${index}].content[${j}]`);
      }
      return part.text;
    })
    .join('\n');
}

/** zod's path as OpenAI names parameters: messages[0].role. */
function paramOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '');
}
