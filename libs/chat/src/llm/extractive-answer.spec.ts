import { composeExtractiveAnswer } from './extractive-answer';

describe('composeExtractiveAnswer', () => {
  it('quotes table rows one by one, the row that answers first, not the whole table as one sentence', () => {
    const table = [
      'Model: Aldera Pico | Trim: S | MSRP (USD): 21450',
      'Model: Aldera Pico | Trim: SX | MSRP (USD): 24190',
      'Model: Aldera Ridgeway | Trim: LX | MSRP (USD): 31800',
      'Model: Aldera Ridgeway | Trim: Touring | MSRP (USD): 37450',
      'Model: Aldera Voltline | Trim: Standard | MSRP (USD): 42900',
    ].join('\n');
    const answer = composeExtractiveAnswer('What is the MSRP of the Ridgeway Touring?', [{ number: 1, title: 'prices.csv', page: 1, text: table }]);
    expect(answer.startsWith('Model: Aldera Ridgeway | Trim: Touring | MSRP (USD): 37450 [1] Model: Aldera Ridgeway | Trim: LX')).toBe(true);
    expect(answer.match(/\[1\]/g)).toHaveLength(3); // three rows at most, each cited
  });

  it('still folds the line breaks of prose into sentences', () => {
    const prose = 'The powertrain warranty covers\nthe engine for five years. Paint is covered\nfor three years.';
    const answer = composeExtractiveAnswer('How long is the powertrain warranty?', [{ number: 2, title: 'w.md', page: null, text: prose }]);
    expect(answer.startsWith('The powertrain warranty covers the engine for five years. [2]')).toBe(true);
  });
});
