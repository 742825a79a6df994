import { StreamReadPacer } from './stream-read-pacer';

/** Keeps the event loop busy for `ms` (what many streams and starts do to a saturated api). */
const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('StreamReadPacer', () => {
  it('gives every stream waiting now the same tick', async () => {
    const pacer = new StreamReadPacer(20, 160);
    const first = pacer.next();
    expect(pacer.next()).toBe(first);
    await first;
    expect(pacer.next()).not.toBe(first);
  });

  it('doubles the interval while the event loop is saturated, up to the maximum, and halves it back once it has room', async () => {
    const pacer = new StreamReadPacer(20, 80);
    const seen: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const tick = pacer.next();
      spin(pacer.currentMs + 30); // busy through the whole interval: the timer fires late, after the spin
      await tick;
      seen.push(pacer.currentMs);
    }
    expect(seen).toEqual([40, 80, 80, 80]);
    for (let i = 0; i < 3; i += 1) await pacer.next(); // idle waits
    expect(pacer.currentMs).toBe(20);
  });

  it('stays at the configured interval on an idle loop', async () => {
    const pacer = new StreamReadPacer(20, 400);
    for (let i = 0; i < 3; i += 1) await pacer.next();
    expect(pacer.currentMs).toBe(20);
  });
});
