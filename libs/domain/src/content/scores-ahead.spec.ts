import { ScoresAhead } from './scores-ahead';

describe('ScoresAhead', () => {
  let now = 0;
  let dropped = 0;
  const ahead = () => new ScoresAhead<number>(1000, 2, () => dropped++, () => now);
  /** An entry with these frames, all added. */
  const filled = (scores: ScoresAhead<number>, id: string, key: string, ...frames: Promise<number>[]) => {
    const entry = scores.begin(id, key);
    for (const frame of frames) entry.add(frame);
    entry.finish();
    return entry;
  };

  beforeEach(() => {
    now = 0;
    dropped = 0;
  });

  it('gives the frames, in order, to the first take with the same key and count', async () => {
    const scores = ahead();
    filled(scores, 'item', 'heads-a', Promise.resolve(1), new Promise((resolve) => setTimeout(() => resolve(2), 5)));
    await expect(scores.take('item', 'heads-a', 2)).resolves.toEqual([1, 2]);
    // Taken once.
    await expect(scores.take('item', 'heads-a', 2)).resolves.toBeUndefined();
    expect(dropped).toBe(0);
  });

  it('gives nothing for other heads or another frame count, and drops the entry', async () => {
    const scores = ahead();
    filled(scores, 'item', 'heads-a', Promise.resolve(1));
    await expect(scores.take('item', 'heads-b', 1)).resolves.toBeNull();
    await expect(scores.take('item', 'heads-a', 1)).resolves.toBeUndefined();

    filled(scores, 'item', 'heads-a', Promise.resolve(1));
    await expect(scores.take('item', 'heads-a', 2)).resolves.toBeNull();
  });

  it('keeps an entry from the end of its decode, however long the decode took, then drops it untaken', async () => {
    const scores = ahead();
    const entry = scores.begin('item', 'heads-a');
    entry.add(Promise.resolve(1));
    now = 5000;
    filled(scores, 'other', 'heads-a', Promise.resolve(2));
    expect(dropped).toBe(0);
    entry.finish();
    now = 5999;
    await expect(scores.take('item', 'heads-a', 1)).resolves.toEqual([1]);

    filled(scores, 'late', 'heads-a', Promise.resolve(3));
    now = 7001;
    await expect(scores.take('late', 'heads-a', 1)).resolves.toBeUndefined();
    expect(dropped).toBe(1);
    // The untaken 'other' goes at the next begin.
    scores.begin('next', 'heads-a');
    expect(dropped).toBe(2);
  });

  it('forgets a discarded entry (its media job failed) without counting it as dropped', async () => {
    const scores = ahead();
    filled(scores, 'item', 'heads-a', Promise.resolve(1)).discard();
    await expect(scores.take('item', 'heads-a', 1)).resolves.toBeUndefined();
    expect(dropped).toBe(0);
  });

  it('gives nothing when a frame failed, without an unhandled rejection before the take', async () => {
    const scores = ahead();
    filled(scores, 'item', 'heads-a', Promise.resolve(1), Promise.reject(new Error('compute thread gone')));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(scores.take('item', 'heads-a', 2)).resolves.toBeNull();
  });

  it('keeps the latest begin of an item (a retried media job) and at most maxItems items, the oldest dropped', async () => {
    const scores = ahead();
    const first = filled(scores, 'a', 'k', Promise.resolve(1));
    filled(scores, 'a', 'k', Promise.resolve(2));
    expect(dropped).toBe(1);
    // The first attempt's discard leaves the retry's entry alone.
    first.discard();
    await expect(scores.take('a', 'k', 1)).resolves.toEqual([2]);

    filled(scores, 'a', 'k', Promise.resolve(1));
    filled(scores, 'b', 'k', Promise.resolve(2));
    filled(scores, 'c', 'k', Promise.resolve(3));
    expect(dropped).toBe(2);
    await expect(scores.take('a', 'k', 1)).resolves.toBeUndefined();
    await expect(scores.take('b', 'k', 1)).resolves.toEqual([2]);
    await expect(scores.take('c', 'k', 1)).resolves.toEqual([3]);
  });
});
