import { countMessageTokens, countTextTokens } from '../llm/token-count';
import { buildPrompt, type PromptInput, type PromptPassage } from './build-prompt';
import { DEFAULT_SYSTEM_PROMPT, GROUNDING_RULES } from './system-prompt';

describe('buildPrompt', () => {
  const passage = (n: number, words = 30): PromptPassage => ({
    title: `Doc ${n}`,
    page: n === 2 ? null : n,
    text: Array.from({ length: words }, (_, i) => `word${n}x${i}`).join(' '),
    documentId: `doc-${n}`,
    chunkId: `chunk-${n}`,
  });
  const base = (overrides: Partial<PromptInput> = {}): PromptInput => ({
    systemPrompt: 'You are the assistant of Acme Motors.',
    passages: [passage(1), passage(2), passage(3)],
    history: [],
    question: 'What does the warranty cover?',
    historyTokenBudget: 1_000,
    contextTokenBudget: 10_000,
    ...overrides,
  });

  it('puts the system prompt with the grounding rules first, then history, then numbered sources with the question', () => {
    const history = [
      { role: 'user' as const, content: 'Hi' },
      { role: 'assistant' as const, content: 'Hello! How can I help?' },
    ];
    const { messages, sources, inputTokens } = buildPrompt(base({ history }));
    expect(messages[0]).toEqual({ role: 'system', content: `You are the assistant of Acme Motors.\n\n${GROUNDING_RULES}` });
    expect(messages.slice(1, 3)).toEqual(history);
    const last = messages[3];
    expect(last.role).toBe('user');
    expect(last.content).toContain('[1] Doc 1 (page 1)\nword1x0');
    expect(last.content).toContain('[2] Doc 2\nword2x0');
    expect(last.content.endsWith('Question: What does the warranty cover?')).toBe(true);
    expect(sources.map((s) => [s.number, s.documentId, s.chunkId, s.page])).toEqual([
      [1, 'doc-1', 'chunk-1', 1],
      [2, 'doc-2', 'chunk-2', null],
      [3, 'doc-3', 'chunk-3', 3],
    ]);
    expect(inputTokens).toBe(countMessageTokens(messages));
  });

  it('uses the default system prompt when the dealership has none, and keeps the rules', () => {
    const { messages } = buildPrompt(base({ systemPrompt: '  ' }));
    expect(messages[0].content).toBe(`${DEFAULT_SYSTEM_PROMPT}\n\n${GROUNDING_RULES}`);
    expect(GROUNDING_RULES).toMatch(/\[1\]/);
    expect(GROUNDING_RULES).toMatch(/don't know/);
  });

  it('keeps sources within the context budget: lower-ranked ones are dropped, the one at the edge is cut', () => {
    const passages = [passage(1, 100), passage(2, 100), passage(3, 100)];
    const oneBlock = countTextTokens(`[1] Doc 1 (page 1)\n${passages[0].text}`);
    const { sources } = buildPrompt(base({ passages, contextTokenBudget: oneBlock + 60 }));
    expect(sources).toHaveLength(2);
    expect(sources[0].text).toBe(passages[0].text);
    expect(passages[1].text.startsWith(sources[1].text)).toBe(true);
    expect(sources[1].text.length).toBeLessThan(passages[1].text.length);
    const used = sources.reduce((sum, s) => sum + countTextTokens(`[${s.number}] ${s.title}${s.page === null ? '' : ` (page ${s.page})`}\n${s.text}`), 0);
    expect(used).toBeLessThanOrEqual(oneBlock + 60);
  });

  it('drops a passage rather than leave a stub of a few tokens', () => {
    const passages = [passage(1, 100), passage(2, 100)];
    const oneBlock = countTextTokens(`[1] Doc 1 (page 1)\n${passages[0].text}`);
    expect(buildPrompt(base({ passages, contextTokenBudget: oneBlock + 10 })).sources).toHaveLength(1);
  });

  it('says so in the prompt when there are no sources', () => {
    const { messages, sources } = buildPrompt(base({ passages: [] }));
    expect(sources).toEqual([]);
    expect(messages.at(-1)!.content).toContain('(no sources were found for this question)');
  });

  it('keeps the newest history that fits the budget, whole messages, dropping the oldest', () => {
    const history = Array.from({ length: 6 }, (_, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), content: `message number ${i} ${'filler '.repeat(20)}` }));
    const perMessage = countMessageTokens([history[5]]) - countMessageTokens([]);
    const { messages } = buildPrompt(base({ history, historyTokenBudget: perMessage * 3 + 2 }));
    const kept = messages.slice(1, -1);
    expect(kept).toEqual(history.slice(3));
  });

  it('never cuts the question, even with no history budget and a long question', () => {
    const question = `Tell me everything about ${'financing '.repeat(500)}`;
    const { messages } = buildPrompt(base({ question, history: [{ role: 'user', content: 'earlier' }], historyTokenBudget: 0, contextTokenBudget: 100 }));
    expect(messages).toHaveLength(2);
    expect(messages[1].content.endsWith(`Question: ${question}`)).toBe(true);
  });
});
