import { espeakToArpabet } from './espeak-arpabet';
import { buildArpa, spokenSentences } from './language-model';

/** Reads an ARPA bigram model back: log10 probabilities and backoff weights. */
function readArpa(arpa: string) {
  const unigrams = new Map<string, { p: number; backoff: number }>();
  const bigrams = new Map<string, number>();
  let section = '';
  for (const line of arpa.split('\n')) {
    if (line.startsWith('\\')) section = line;
    else if (line.trim() && section === '\\1-grams:') {
      const [p, word, backoff] = line.split(' ');
      unigrams.set(word, { p: Number(p), backoff: Number(backoff ?? 0) });
    } else if (line.trim() && section === '\\2-grams:') {
      const [p, a, b] = line.split(' ');
      bigrams.set(`${a} ${b}`, Number(p));
    }
  }
  return { unigrams, bigrams };
}

describe('the recogniser vocabulary', () => {
  it('splits text where a speaker pauses and keeps words only', () => {
    expect(spokenSentences('Aldera Ridgeway, Touring: $37,450. What is it?\nNew line')).toEqual([['aldera', 'ridgeway'], ['touring'], ['what', 'is', 'it'], ['new', 'line']]);
  });

  it('builds a bigram model whose every history sums to one', () => {
    const { unigrams, bigrams } = readArpa(buildArpa([['how', 'much', 'is', 'the', 'pico'], ['how', 'much', 'is', 'the', 'ridgeway'], ['the', 'ridgeway', 'touring']]));
    const words = [...unigrams.keys()].filter((w) => w !== '<s>');
    for (const history of ['<s>', 'the', 'ridgeway', 'pico']) {
      const total = words.reduce((sum, word) => {
        const seen = bigrams.get(`${history} ${word}`);
        return sum + (seen !== undefined ? 10 ** seen : 10 ** unigrams.get(history)!.backoff * 10 ** unigrams.get(word)!.p);
      }, 0);
      expect(total).toBeCloseTo(1, 3);
    }
    expect(bigrams.get('the ridgeway')).toBeGreaterThan(bigrams.get('the pico')!);
  });

  it("turns espeak-ng's phonemes into ARPAbet, refusing unknown ones", () => {
    expect(espeakToArpabet("'O:_l_d_3_r_@")).toBe('AO L D ER R AH');
    expect(espeakToArpabet("v_'oU_l_t_l_aI_n")).toBe('V OW L T L AY N');
    expect(espeakToArpabet("h_'O:_l_m_A@_k")).toBe('HH AO L M AA R K');
    expect(espeakToArpabet('q_Q')).toBeUndefined();
  });
});
