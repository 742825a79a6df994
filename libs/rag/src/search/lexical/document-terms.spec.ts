import { rankBm25 } from './bm25';
import { DocumentTerms } from './document-terms';

const rows = [
  { id: 'a', text: 'Leases run for 24 or 36 months; leasing needs a down payment.' },
  { id: 'b', text: 'Zürich showroom: the Ioniq 5 and the EV6 are on display.' },
  { id: 'c', text: '' },
];

describe('DocumentTerms layout', () => {
  it('reads back from stored bytes (any alignment) with the same postings, ids and ranking', () => {
    const built = DocumentTerms.fromRows(4, rows);
    const stored = Buffer.alloc(built.bytes.byteLength + 1);
    stored.set(built.bytes, 1); // node-postgres' buffers need not be aligned
    const read = DocumentTerms.fromStored(4, stored.subarray(1));
    expect(read.generation).toBe(4);
    expect(read.ids).toEqual(['a', 'b', 'c']);
    expect([...read.lengths]).toEqual([...built.lengths]);
    expect(read.totalLength).toBe(built.totalLength);
    for (const term of ['leas', 'zürich', 'ev6', '5']) expect(read.postingsOf(term)).toEqual(built.postingsOf(term));
    expect(read.postingsOf('nowhere')).toBeUndefined();
    expect(rankBm25([read], ['leas', 'ev6'], 3)).toEqual(rankBm25([built], ['leas', 'ev6'], 3));
  });

  it('refuses bytes that are not its layout, so they are rebuilt rather than misread', () => {
    expect(() => DocumentTerms.fromStored(1, Buffer.from('not postings at all'))).toThrow();
    const built = DocumentTerms.fromRows(1, rows);
    expect(() => DocumentTerms.fromStored(1, built.bytes.subarray(0, built.bytes.byteLength - 3))).toThrow();
  });
});
