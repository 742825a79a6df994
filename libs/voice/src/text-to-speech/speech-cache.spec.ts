import { SpeechCache } from './speech-cache';

describe('SpeechCache', () => {
  const key = (text: string, dealershipId = 'd1') => SpeechCache.keyOf({ dealershipId, provider: 'local', model: 'flite', voice: 'slt', format: 'pcm', text });

  it('keeps the most recently used entries within its byte budget', () => {
    const cache = new SpeechCache(800);
    cache.set(key('a'), Buffer.alloc(100));
    cache.set(key('b'), Buffer.alloc(100));
    expect(cache.get(key('a'))).toBeDefined(); // a is now the most recent
    for (const text of ['c', 'd', 'e', 'f', 'g', 'h', 'i']) cache.set(key(text), Buffer.alloc(100));
    expect(cache.sizeBytes).toBeLessThanOrEqual(800);
    expect(cache.get(key('b'))).toBeUndefined();
    expect(cache.get(key('a'))).toBeDefined();
  });

  it('refuses entries over an eighth of the budget and keys by dealership', () => {
    const cache = new SpeechCache(800);
    cache.set(key('big'), Buffer.alloc(101));
    expect(cache.get(key('big'))).toBeUndefined();
    expect(key('same', 'd1')).not.toBe(key('same', 'd2'));
  });
});
