import { StartGate } from './start-gate';

describe('StartGate', () => {
  it('lets `limit` in at once and the rest in arrival order as slots are freed', async () => {
    const gate = new StartGate(2);
    const entered: number[] = [];
    const leave: (() => void)[] = [];
    const enter = (n: number) => gate.enter().then((release) => void (entered.push(n), (leave[n] = release)));
    await Promise.all([enter(0), enter(1)]);
    const later = [enter(2), enter(3), enter(4)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toEqual([0, 1]);

    leave[1]();
    leave[1](); // a second call frees nothing more
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toEqual([0, 1, 2]);

    leave[0]();
    leave[2]();
    await Promise.all(later);
    expect(entered).toEqual([0, 1, 2, 3, 4]);
  });

  it('frees the slot for a newcomer once nobody waits', async () => {
    const gate = new StartGate(1);
    (await gate.enter())();
    const next = await Promise.race([gate.enter(), new Promise((resolve) => setTimeout(() => resolve('blocked'), 50))]);
    expect(next).toEqual(expect.any(Function));
  });
});
