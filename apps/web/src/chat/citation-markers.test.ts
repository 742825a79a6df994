import { describe, expect, it } from 'vitest';
import { citationIndexByNumber, splitMarkers } from './citation-markers';

describe('citation markers', () => {
  it('cuts text into plain parts and markers, lists and ranges included, links left alone', () => {
    expect(splitMarkers('Five years [2]. Roadside [1, 3] and [4-5]; see [docs](x).')).toEqual([
      { text: 'Five years ' },
      { numbers: [2] },
      { text: '. Roadside ' },
      { numbers: [1, 3] },
      { text: ' and ' },
      { numbers: [4, 5] },
      { text: '; see [docs](x).' },
    ]);
  });

  it('maps each number to the citation of its first use, as the api orders citations', () => {
    expect([...citationIndexByNumber('A [3]. B [1]. C [3].', 2)]).toEqual([
      [3, 0],
      [1, 1],
    ]);
  });
});
