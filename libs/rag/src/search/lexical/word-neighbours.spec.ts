import { indexTerms } from './analyze-text';
import { queryExpansions } from './query-expansions';
import { synonymExpansions } from './synonyms';
import { NEIGHBOUR_COVERAGE_CREDIT, NEIGHBOUR_MIN_SIMILARITY, NEIGHBOUR_WEIGHT, neighbourExpansions, neighboursOf } from './word-neighbours';

describe('neighboursOf', () => {
  it("reads a stem's nearest stems by meaning, best first, with their cosines", () => {
    const near = neighboursOf('flight');
    expect(near.map((n) => n.term)).toContain('plane');
    const similarities = near.map((n) => n.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    expect(similarities.every((s) => s >= 0.5 && s <= 1)).toBe(true);
    // No entry for a made-up word, nor for names on every object's prototype.
    expect(neighboursOf('haulmark')).toEqual([]);
    expect(neighboursOf('hasOwnProperty')).toEqual([]);
    expect(neighboursOf('__proto__')).toEqual([]);
  });
});

describe('neighbourExpansions', () => {
  it("expands a question's content terms by their near neighbours, weighted by cosine, with no coverage credit", () => {
    const expansions = neighbourExpansions(indexTerms('Why are flights cancelled?'));
    const plane = expansions.find((e) => e.term === 'plane' && e.of === 'flight');
    const similarity = neighboursOf('flight').find((n) => n.term === 'plane')!.similarity;
    expect(plane).toEqual({ term: 'plane', of: 'flight', weight: NEIGHBOUR_WEIGHT * similarity, coverageCredit: NEIGHBOUR_COVERAGE_CREDIT });
    expect(expansions.every((e) => neighboursOf(e.of).some((n) => n.term === e.term && n.similarity >= NEIGHBOUR_MIN_SIMILARITY))).toBe(true);
  });

  it('leaves out numbers, surface words and neighbours below the least cosine', () => {
    expect(neighbourExpansions(['2024', '=flights', '=the'])).toEqual([]);
    const weak = neighboursOf('warranti').filter((n) => n.similarity < NEIGHBOUR_MIN_SIMILARITY).map((n) => n.term);
    expect(weak.length).toBeGreaterThan(0);
    const terms = neighbourExpansions(['warranti']).map((e) => e.term);
    for (const term of weak) expect(terms).not.toContain(term);
  });
});

describe('queryExpansions', () => {
  it('puts synonyms first and leaves a neighbour that is also a synonym of the same term to the synonym', () => {
    const terms = indexTerms('How much is the fee?');
    const synonyms = synonymExpansions(terms);
    const all = queryExpansions(terms);
    expect(all.slice(0, synonyms.length)).toEqual(synonyms);
    const keys = all.map((e) => `${e.of} ${e.term}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.length).toBeGreaterThan(synonyms.length);
  });
});
