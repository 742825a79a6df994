import { analyzeText, indexTerms } from './analyze-text';
import { rankBm25 } from './bm25';
import { DocumentTerms } from './document-terms';
import { informativeness } from './english-rarity';

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
