import { encode } from 'gpt-tokenizer/encoding/cl100k_base';
import type { ParsedDocument, ParsedSection } from '../parsing';
import { chunkDocument, type DocumentChunk } from './chunk-document';

/** An independent count: the library itself, special-token text treated as plain text. */
const tokensIn = (text: string) => encode(text, { allowedSpecial: new Set(), disallowedSpecial: new Set() }).length;

function sentences(group: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `The ${group} clause ${i} covers part ${i * 7} for ${(i % 5) + 1} years.`).join(' ');
}

function section(page: number | null, headingPath: string[], text: string): ParsedSection {
  return { page, headingPath, text };
}

/** The chunk text without its heading line. */
function bodyOf(chunk: DocumentChunk): string {
  return chunk.headingPath.length > 0 ? chunk.text.slice(chunk.text.indexOf('\n') + 1) : chunk.text;
}

const brochure: ParsedDocument = {
  pageCount: 3,
  sections: [
    section(1, ['Warranty', 'Powertrain'], sentences('powertrain', 120)),
    section(1, ['Warranty', 'Corrosion'], sentences('corrosion', 8)),
    section(2, ['Warranty', 'Corrosion'], sentences('rustproof', 8)),
    section(3, [], 'x'.repeat(6000)), // one "word" of thousands of tokens, no sentence to split at
    section(3, [], `A document may contain <|endoftext|> as ordinary text. ${'Ünïcødé 価格表 🚗 '.repeat(200)}`),
  ],
};

describe('chunkDocument', () => {
  it('keeps every chunk within maxTokens, with tokenCount the true cl100k_base count', () => {
    const chunks = chunkDocument(brochure, { maxTokens: 200, overlapTokens: 30 });

    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(tokensIn(chunk.text));
      expect(chunk.tokenCount).toBeLessThanOrEqual(200);
      expect(chunk.text).not.toContain('\uFFFD');
    }
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
  });

  it('never mixes pages or heading paths in one chunk, and prefixes the heading path', () => {
    const chunks = chunkDocument(brochure, { maxTokens: 200, overlapTokens: 30 });
    const groupOf = { powertrain: '1|Warranty>Powertrain', corrosion: '1|Warranty>Corrosion', rustproof: '2|Warranty>Corrosion' };

    for (const chunk of chunks) {
      const key = `${chunk.page}|${chunk.headingPath.join('>')}`;
      for (const [group, expected] of Object.entries(groupOf)) {
        if (chunk.text.includes(`The ${group} clause`)) expect(key).toBe(expected);
      }
      if (chunk.headingPath.length > 0) expect(chunk.text.startsWith(`${chunk.headingPath.join(' > ')}\n`)).toBe(true);
    }
    // The corrosion heading spans two pages: one chunk per page, no overlap carried across.
    const corrosion = chunks.filter((chunk) => chunk.headingPath[1] === 'Corrosion');
    expect(corrosion.map((chunk) => chunk.page)).toEqual([1, 2]);
    expect(corrosion[1].text).not.toContain('corrosion clause');
  });

  it('packs small sections of one run together', () => {
    const doc: ParsedDocument = {
      pageCount: null,
      sections: Array.from({ length: 12 }, (_, i) => section(null, ['Prices'], `Model: Car ${i} | Price: ${20_000 + i * 1000}`)),
    };

    const chunks = chunkDocument(doc, { maxTokens: 120, overlapTokens: 10 });

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(6);
    const rowsInFirst = chunks[0].text.split('Model:').length - 1;
    expect(rowsInFirst).toBeGreaterThanOrEqual(3);
    const firstRows = doc.sections.slice(0, rowsInFirst).map((row) => row.text);
    expect(chunks[0].text).toBe(`Prices\n${firstRows.join('\n\n')}`);
    expect(chunks.every((chunk) => chunk.tokenCount <= 120)).toBe(true);
  });

  it('splits an oversized section at sentence ends and repeats the tail of the previous chunk', () => {
    const doc: ParsedDocument = { pageCount: null, sections: [section(null, [], sentences('engine', 100))] };

    const chunks = chunkDocument(doc, { maxTokens: 150, overlapTokens: 25 });

    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.text).toMatch(/years\.$/);
    for (let i = 1; i < chunks.length; i++) {
      const overlap = chunks[i].text.split('\n\n')[0];
      expect(chunks[i - 1].text.endsWith(overlap)).toBe(true);
      expect(tokensIn(overlap)).toBeGreaterThan(10);
      expect(tokensIn(overlap)).toBeLessThanOrEqual(25);
    }
  });

  it('adds no overlap when overlapTokens is 0, so the chunks rebuild the text exactly once', () => {
    const text = sentences('engine', 60);
    const chunks = chunkDocument({ pageCount: null, sections: [section(null, [], text)] }, { maxTokens: 100, overlapTokens: 0 });

    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map(bodyOf).join(' ')).toBe(text);
  });

  it('is deterministic, so chunk ids derived from index and text stay stable', () => {
    const first = chunkDocument(brochure);
    const second = chunkDocument(structuredClone(brochure));

    expect(second).toEqual(first);
    expect(first.every((chunk) => chunk.tokenCount <= 400)).toBe(true);
  });

  it('refuses options that cannot make sensible chunks', () => {
    expect(() => chunkDocument(brochure, { maxTokens: 10 })).toThrow(RangeError);
    expect(() => chunkDocument(brochure, { maxTokens: 100, overlapTokens: 60 })).toThrow(RangeError);
  });
});
