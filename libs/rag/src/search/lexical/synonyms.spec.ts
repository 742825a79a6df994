import { indexTerms } from './analyze-text';
import { SYNONYM_COVERAGE_CREDIT, SYNONYM_WEIGHT, synonymExpansions, synonymsOf } from './synonyms';

describe('synonymsOf', () => {
  it('reads WordNet synonyms of a stem or of adjacent stems, most frequent sense only', () => {
    expect(synonymsOf('nerv cell')).toEqual(['neuron']);
    expect(synonymsOf('car')).toEqual(expect.arrayContaining(['automobil', 'auto']));
    expect(synonymsOf('vaccin')).toContain('inocul');
    // Not a WordNet lemma, and names on every object's prototype are no entries.
    expect(synonymsOf('haulmark')).toEqual([]);
    expect(synonymsOf('hasOwnProperty')).toEqual([]);
    expect(synonymsOf('__proto__')).toEqual([]);
  });
});

describe('synonymExpansions', () => {
  const of = (question: string) => synonymExpansions(indexTerms(question));

  it('expands a multi-word lemma from adjacent words, standing for its first word', () => {
    expect(of('What do nerve cells carry?')).toContainEqual({ term: 'neuron', of: 'nerv', weight: SYNONYM_WEIGHT, coverageCredit: SYNONYM_COVERAGE_CREDIT });
  });

  it('does not join words a stop word separates', () => {
    // "nerve" and "cells" are not adjacent here: no "neuron" from the lemma "nerve cell".
    expect(of('Does a nerve heal in cells?').map((e) => e.term)).not.toContain('neuron');
  });

  it('leaves out synonyms the question already holds, numbers and stop words', () => {
    const terms = of('car and automobile').map((e) => e.term);
    expect(terms).not.toContain('automobil');
    expect(terms).not.toContain('car');
    expect(of('Who is it for? 1 2')).toEqual([]);
  });

  it('adds every word of a multi-word synonym', () => {
    const terms = of('neurons').map((e) => e.term);
    expect(terms).toEqual(expect.arrayContaining(['nerv', 'cell']));
  });

  it("reads a word after a determiner as a noun: the noun's most frequent sense, not the verb's", () => {
    // WordNet's most frequent sense of "guarantee" is the verb (vouch); "the guarantee" is a warranty.
    expect(of('How long is the guarantee on the engine?').map((e) => e.term)).toContain('warranti');
    expect(of('Can you guarantee the price?').map((e) => e.term)).toContain('vouch');
    expect(of('Can you guarantee the price?').map((e) => e.term)).not.toContain('warranti');
  });
});
