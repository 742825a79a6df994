import { analyzeText, indexTerms } from './analyze-text';
import { rankBm25 } from './bm25';
import { DocumentTerms } from './document-terms';
import { informativeness } from './english-rarity';
import { SYNONYM_COVERAGE_CREDIT, synonymExpansions } from './synonyms';

const doc = (generation: number, texts: string[], prefix: string) =>
  DocumentTerms.fromRows(generation, texts.map((text, i) => ({ id: `${prefix}${i}`, text })));

describe('analyzeText', () => {
  it('lower-cases, drops stop words and stems, so inflections meet', () => {
    expect(analyzeText("What's the lease term? Leases and leasing!")).toEqual(['leas', 'term', 'leas', 'leas']);
    expect(analyzeText('Towing capacity 9000 lb')).toEqual(['tow', 'capac', '9000', 'lb']);
    expect(analyzeText('the of and')).toEqual([]);
  });
});

describe('indexTerms', () => {
  it('adds every word as written, stop words included, as a second field', () => {
    expect(indexTerms('Who leased it?')).toEqual(['leas', '=who', '=leased', '=it']);
    expect(indexTerms('')).toEqual([]);
  });
});

describe('informativeness', () => {
  it('ranks everyday words under trade words and unheard-of names', () => {
    const [time, lease, haulmark] = ['time', 'leas', 'haulmark'].map(informativeness);
    expect(time).toBeLessThan(lease);
    expect(lease).toBeLessThan(haulmark);
    expect(haulmark).toBe(1);
  });
});

describe('rankBm25', () => {
  const financing = doc(1, ['Leases run for 24 or 36 months.', 'The minimum down payment is 10% of the vehicle price.'], 'f');
  const service = doc(3, ['The service department is open Monday to Friday.', 'A tire rotation takes about 30 minutes.', 'Oil changes every 12 months.'], 's');

  it('ranks by the dealership-wide statistics and needs only some of the words', () => {
    const hits = rankBm25([financing, service], indexTerms('How many months can I lease for?'), 5);
    expect(hits.map((h) => h.id)).toEqual(['f0', 's2']);
    expect(hits[0].coverage).toBe(1);
    // The oil-change chunk holds "month" only, an everyday word; "lease" carries the question.
    expect(hits[1].coverage).toBeGreaterThan(0);
    expect(hits[1].coverage).toBeLessThan(0.5);
  });

  it('weighs everyday words little, so an off-topic question that shares one covers little', () => {
    const [hit] = rankBm25([financing, service], indexTerms('How many minutes to bake a turkey?'), 5);
    expect(hit.id).toBe('s1');
    expect(hit.coverage).toBeLessThan(0.2);
    // Only its stop words match: passages come back, but hold none of what it is about.
    const unrelated = rankBm25([financing, service], indexTerms('tallest mountain in the world'), 5);
    expect(unrelated.length).toBeGreaterThan(0);
    expect(unrelated.every((h) => h.coverage === 0)).toBe(true);
    expect(rankBm25([financing, service], indexTerms('Who is it for?'), 5)).toEqual([]);
  });

  it('lets the question\'s wording break a tie between passages with the same content words', () => {
    const people = doc(1, ['The mould was found in 1928.', 'Mould found, the baker said.', 'Bread and butter.'], 'p');
    const question = 'When was the mould found?';
    expect(rankBm25([people], analyzeText(question), 2).map((h) => h.id)).toEqual(['p1', 'p0']);
    expect(rankBm25([people], indexTerms(question), 2).map((h) => h.id)).toEqual(['p0', 'p1']);
  });

  it('normalises by length: the same words in a shorter chunk rank first', () => {
    const long = doc(1, ['warranty covers the engine and many other parts listed in a long table of parts and more parts', 'warranty covers the engine'], 'w');
    expect(rankBm25([long], indexTerms('engine warranty'), 2).map((h) => h.id)).toEqual(['w1', 'w0']);
  });

  it('keeps the k best whatever order the candidates come in', () => {
    const many = doc(1, Array.from({ length: 200 }, (_, i) => `brake ${'pad '.repeat(i % 7)}`), 'm');
    const top = rankBm25([many], ['brake', 'pad'], 3);
    expect(top).toHaveLength(3);
    expect(top.every((h) => h.score >= top[2].score)).toBe(true);
    expect(new Set(top.map((h) => Number(h.id.slice(1)) % 7)).size).toBe(1);
  });
});

describe('rankBm25 with synonyms', () => {
  const biology = doc(1, [
    'Neurons are the messengers of the body.',
    'The heart pumps blood through the body.',
    'Plant cells have walls.',
  ], 'b');

  it('finds a passage that holds only a synonym of the question\'s words ("nerve cells" for "neurons")', () => {
    const terms = indexTerms('Tell me about nerve cells');
    expect(rankBm25([biology], terms, 3).map((h) => h.id)).not.toContain('b0');
    const expanded = rankBm25([biology], terms, 3, synonymExpansions(terms));
    expect(expanded.map((h) => h.id)).toContain('b0');
    // The question's own word still outweighs a synonym.
    expect(expanded[0].id).toBe('b2');
  });

  it('scores a term and its synonyms as one: the best of them, not their sum', () => {
    const cars = doc(1, ['car car', 'car automobile motorcar auto', 'automobile only'], 'c');
    const expansions = ['automobil', 'motorcar', 'auto'].map((term) => ({ term, of: 'car', weight: 0.4, coverageCredit: 0.1 }));
    const hits = rankBm25([cars], ['car'], 3, expansions);
    expect(hits.map((h) => h.id)).toEqual(['c0', 'c1', 'c2']);
    // The chunk holding "car" and three synonyms scores as "car" alone: no sum.
    const byCar = new Map(rankBm25([cars], ['car'], 3).map((h) => [h.id, h.score]));
    expect(hits[1].score).toBeCloseTo(byCar.get('c1')!, 10);
    // The synonym-only chunk scores the synonym's weight of what the synonym itself would.
    const byAutomobile = new Map(rankBm25([cars], ['automobil'], 3).map((h) => [h.id, h.score]));
    expect(hits[2].score).toBeCloseTo(0.4 * byAutomobile.get('c2')!, 10);
  });

  it('gives a synonym only part of its term\'s coverage, so synonyms cannot carry a question past the gate', () => {
    const [own] = rankBm25([biology], indexTerms('neurons'), 1);
    expect(own.coverage).toBe(1);
    const terms = indexTerms('nerve cells');
    const viaSynonym = rankBm25([biology], terms, 3, synonymExpansions(terms)).find((h) => h.id === 'b0')!;
    expect(viaSynonym.coverage).toBeGreaterThan(0);
    expect(viaSynonym.coverage).toBeLessThanOrEqual(SYNONYM_COVERAGE_CREDIT + 1e-9);
  });

  it("gives a passage holding only an expansion that expansion's coverage credit, the first one it holds", () => {
    const planes = doc(1, ['The plane was grounded.', 'The aircraft and the plane were grounded.'], 'p');
    const terms = indexTerms('flight');
    const neighbour = { term: 'plane', of: 'flight', weight: 0.25, coverageCredit: 0 };
    const synonym = { term: 'aircraft', of: 'flight', weight: 0.4, coverageCredit: 0.1 };
    const byNeighbour = rankBm25([planes], terms, 2, [neighbour]);
    // Found, ranked, but no coverage: a neighbour alone cannot carry a question past the gate.
    expect(byNeighbour.map((h) => h.id).sort()).toEqual(['p0', 'p1']);
    expect(byNeighbour.every((h) => h.coverage === 0)).toBe(true);
    const both = rankBm25([planes], terms, 2, [synonym, neighbour]);
    expect(both.find((h) => h.id === 'p1')!.coverage).toBeCloseTo(0.1, 10);
    expect(both.find((h) => h.id === 'p0')!.coverage).toBe(0);
  });

  it('ignores weightless expansions: a chunk only they hit is not listed, and none is listed twice', () => {
    const planes = doc(1, ['The plane was grounded.', 'The flight left.', 'A plane and a jet.'], 'p');
    const terms = indexTerms('flight');
    const hits = rankBm25([planes], terms, 3, [
      { term: 'plane', of: 'flight', weight: 0, coverageCredit: 0 },
      { term: 'jet', of: 'flight', weight: 0, coverageCredit: 0 },
    ]);
    expect(hits).toEqual(rankBm25([planes], terms, 3));
  });

  it('ignores expansions that are question terms or stand for no question term', () => {
    const leases = doc(1, ['Leases run 24 months.', 'Rent is due monthly.'], 'l');
    const terms = indexTerms('lease months');
    const odd = rankBm25([leases], terms, 2, [
      { term: 'month', of: 'leas', weight: 0.4, coverageCredit: 0.1 },
      { term: 'rent', of: 'tire', weight: 0.4, coverageCredit: 0.1 },
    ]);
    expect(odd).toEqual(rankBm25([leases], terms, 2));
  });
});
