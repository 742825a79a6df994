import { citedSourceNumbers } from './cited-sources';

describe('citedSourceNumbers', () => {
  it('returns the markers used, in order of first use, without duplicates', () => {
    expect(citedSourceNumbers('Five years [2]. Paint is three [1]. Again [2].', 3)).toEqual([2, 1]);
  });

  it('reads lists and adjacent markers', () => {
    expect(citedSourceNumbers('Covered [3, 1] and financed [2][4]; see also [5;6].', 6)).toEqual([3, 1, 2, 4, 5, 6]);
  });

  it('expands ranges', () => {
    expect(citedSourceNumbers('Everything [1-3].', 5)).toEqual([1, 2, 3]);
  });

  it('ignores numbers of sources that do not exist, and things that are not citations', () => {
    expect(citedSourceNumbers('See [0], [7], [2], [x], [](1), [3](http://example.com) and 4.', 5)).toEqual([2]);
    expect(citedSourceNumbers('Nothing cited here.', 5)).toEqual([]);
    expect(citedSourceNumbers('Made up [1].', 0)).toEqual([]);
  });
});
