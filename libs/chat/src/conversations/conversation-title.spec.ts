import { DERIVED_TITLE_MAX_CHARS, titleFromMessage } from './conversation-title';

describe('titleFromMessage', () => {
  it('keeps a short message whole, on one line', () => {
    expect(titleFromMessage('  What does the\n powertrain warranty cover?  ')).toBe('What does the powertrain warranty cover?');
  });

  it('cuts a long message at a word boundary with an ellipsis, within the limit', () => {
    const title = titleFromMessage('word '.repeat(40));
    expect(title.length).toBeLessThanOrEqual(DERIVED_TITLE_MAX_CHARS);
    expect(title).toMatch(/^(word )+word…$/);
  });

  it('cuts a long word-less message hard', () => {
    expect(titleFromMessage('x'.repeat(200))).toBe(`${'x'.repeat(DERIVED_TITLE_MAX_CHARS - 1)}…`);
  });
});
