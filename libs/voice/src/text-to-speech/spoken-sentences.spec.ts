import { SpokenSentences, speakable } from './spoken-sentences';

describe('SpokenSentences', () => {
  it('releases each sentence once the next one starts, and the rest at the end', () => {
    const s = new SpokenSentences();
    const out: string[] = [];
    for (const delta of ['The powertrain ', 'warranty lasts five years [1]', '. It covers the en', 'gine. The', ' 2.5 L engine too.']) out.push(...s.push(delta));
    expect(out).toEqual(['The powertrain warranty lasts five years.', 'It covers the engine.']);
    expect(s.flush()).toEqual(['The 2.5 L engine too.']);
    expect(s.flush()).toEqual([]);
  });

  it('drops citation markers and Markdown, never words', () => {
    expect(speakable('**Five years** or 60,000 miles [1, 2]. ')).toBe('Five years or 60,000 miles.');
    expect(speakable('- Leasing from $329 a month [3]')).toBe('Leasing from $329 a month');
  });
});
