import { composeExtractiveAnswer } from './extractive-answer';

describe('composeExtractiveAnswer', () => {
  it("quotes the sentence that holds a synonym of the question's word (as search expands it), not the source's first sentence", () => {
    const text = 'Harbor Point Motors opened its doors in 1990. Every new car carries a guarantee of five years.';
    const answer = composeExtractiveAnswer('How long is the warranty?', [{ number: 1, title: 'cover.txt', page: null, text }]);
    expect(answer.startsWith('Every new car carries a guarantee of five years. [1]')).toBe(true);
  });

  it("ranks a sentence with the question's own word above one with only its synonym", () => {
    const text = 'Every tyre carries a guarantee of five years. The warranty on tyres is one year.';
    const answer = composeExtractiveAnswer('How long is the warranty on tyres?', [{ number: 1, title: 'cover.txt', page: null, text }]);
    expect(answer.startsWith('The warranty on tyres is one year. [1]')).toBe(true);
  });

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
    // Only rows that share the question's rarer words follow: the Pico and Voltline rows share
    // just the MSRP column and are left out.
    expect(answer.match(/\[1\]/g)).toHaveLength(2);
  });

  it("quotes the sentence after the lead in its passage, which finishes the lead's thought", () => {
    const glaciers = 'Glaciers move in two main ways. The ice itself deforms slowly under its own weight. Ice sheets cover Antarctica.';
    const other = 'Rivers move sediment towards the sea in two ways.';
    const answer = composeExtractiveAnswer('In what two ways do glaciers move?', [
      { number: 1, title: 'glaciers.txt', page: null, text: glaciers },
      { number: 2, title: 'rivers.txt', page: null, text: other },
    ]);
    expect(answer.startsWith('Glaciers move in two main ways. [1] The ice itself deforms slowly under its own weight. [1]')).toBe(true);
  });

  it('still folds the line breaks of prose into sentences', () => {
    const prose = 'The powertrain warranty covers\nthe engine for five years. Paint is covered\nfor three years.';
    const answer = composeExtractiveAnswer('How long is the powertrain warranty?', [{ number: 2, title: 'w.md', page: null, text: prose }]);
    expect(answer.startsWith('The powertrain warranty covers the engine for five years. [2]')).toBe(true);
  });

  it('quotes the sentence after an FAQ question, never the question line or the title', () => {
    const faq = [
      'Harbor Point Motors - Service Department FAQ',
      '(Fictional sample data.)',
      '',
      'When is the service department open?',
      'The service department is open Monday to Friday from 7:30 am to 6:00 pm and Saturday from 8:00 am to 2:00 pm. It is closed on Sundays.',
      '',
      'How do I book a service appointment?',
      'Customers book online or by phone at (555) 010-4477.',
    ].join('\n');
    const answer = composeExtractiveAnswer('What time does the service department close on Saturday?', [{ number: 1, title: 'faq.txt', page: null, text: faq }]);
    expect(answer.startsWith('The service department is open Monday to Friday from 7:30 am to 6:00 pm and Saturday from 8:00 am to 2:00 pm. [1]')).toBe(true);
    expect(answer).not.toContain('?');
    expect(answer).not.toContain('FAQ');
  });

  it('uses the heading as context but quotes the sentences under it, each with its own source number', () => {
    const leasing = 'Financing rules > Leasing\nLeases run for 24 or 36 months. Excess mileage is charged at $0.25 per mile.';
    const warranty = 'Warranty > Powertrain\nThe powertrain warranty covers the engine for 5 years.';
    const answer = composeExtractiveAnswer('How long is the engine covered?', [
      { number: 1, title: 'financing.html', page: null, text: leasing },
      { number: 2, title: 'warranty.md', page: null, text: warranty },
    ]);
    expect(answer).toBe('The powertrain warranty covers the engine for 5 years. [2]');
    const lease = composeExtractiveAnswer('Is there a fee if I drive more than my lease allows?', [{ number: 3, title: 'financing.html', page: null, text: leasing }]);
    expect(lease).toContain('Excess mileage is charged at $0.25 per mile. [3]');
    expect(lease).not.toContain('Financing rules');
  });
});
