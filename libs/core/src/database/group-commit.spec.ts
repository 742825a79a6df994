import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  /** A write that records each batch and finishes when the test says so. */
  const recordingWrite = (fail: (item: number) => boolean = () => false) => {
    const batches: number[][] = [];
    const releases: (() => void)[] = [];
    const write = async (items: number[]) => {
      batches.push(items);
      await new Promise<void>((resolve) => releases.push(resolve));
      if (items.some(fail)) throw new Error(`refused ${items.join(',')}`);
      return items.map((item) => item * 10);
    };
    const releaseAll = async () => {
      while (releases.length > 0) {
        releases.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return { batches, write, releaseAll };
  };

  it('writes at once when idle, and groups what arrives while a batch is in flight', async () => {
    const { batches, write, releaseAll } = recordingWrite();
    const commit = new GroupCommit(write);
    const first = commit.submit(1);
    const rest = [2, 3, 4].map((n) => commit.submit(n));
    expect(batches).toEqual([[1]]);
    await releaseAll();
    await expect(Promise.all([first, ...rest])).resolves.toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batches within maxBatch', async () => {
    const { batches, write, releaseAll } = recordingWrite();
    const commit = new GroupCommit(write, 2);
    const all = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    await releaseAll();
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('when a batch fails, writes each of its items alone: only the bad one fails', async () => {
    const { batches, write, releaseAll } = recordingWrite((item) => item === 3);
    const commit = new GroupCommit(write);
    const results = Promise.allSettled([1, 2, 3, 4].map((n) => commit.submit(n)));
    await releaseAll();
    const settled = await results;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(settled.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([10, 20, 40]);
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });
});
