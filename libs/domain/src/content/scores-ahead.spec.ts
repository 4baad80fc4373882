import { ScoresAhead } from './scores-ahead';

describe('ScoresAhead', () => {
  let now = 0;
  let dropped = 0;
  const ahead = () => new ScoresAhead<number>(1000, 2, () => dropped++, () => now);

  beforeEach(() => {
    now = 0;
    dropped = 0;
  });

  it('gives the frames, in order, to the first take with the same key and count', async () => {
    const scores = ahead();
    const add = scores.begin('item', 'heads-a');
    add(Promise.resolve(1));
    add(new Promise((resolve) => setTimeout(() => resolve(2), 5)));
    await expect(scores.take('item', 'heads-a', 2)).resolves.toEqual([1, 2]);
    // Taken once.
    await expect(scores.take('item', 'heads-a', 2)).resolves.toBeUndefined();
    expect(dropped).toBe(0);
  });

  it('gives nothing for other heads, another frame count, or after the entry expired, and drops the entry', async () => {
    const scores = ahead();
    scores.begin('item', 'heads-a')(Promise.resolve(1));
    await expect(scores.take('item', 'heads-b', 1)).resolves.toBeNull();
    await expect(scores.take('item', 'heads-a', 1)).resolves.toBeUndefined();

    scores.begin('item', 'heads-a')(Promise.resolve(1));
    await expect(scores.take('item', 'heads-a', 2)).resolves.toBeNull();

    scores.begin('item', 'heads-a')(Promise.resolve(1));
    now = 1001;
    await expect(scores.take('item', 'heads-a', 1)).resolves.toBeNull();
  });

  it('counts an entry that expired untaken as dropped when the next item begins', () => {
    const scores = ahead();
    scores.begin('a', 'k')(Promise.resolve(1));
    now = 1001;
    scores.begin('b', 'k')(Promise.resolve(2));
    expect(dropped).toBe(1);
  });

  it('gives nothing when a frame failed, without an unhandled rejection before the take', async () => {
    const scores = ahead();
    const add = scores.begin('item', 'heads-a');
    add(Promise.resolve(1));
    add(Promise.reject(new Error('compute thread gone')));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(scores.take('item', 'heads-a', 2)).resolves.toBeNull();
  });

  it('keeps the latest begin of an item (a retried media job) and at most maxItems items, the oldest dropped', async () => {
    const scores = ahead();
    scores.begin('a', 'k')(Promise.resolve(1));
    scores.begin('a', 'k')(Promise.resolve(2));
    expect(dropped).toBe(1);
    await expect(scores.take('a', 'k', 1)).resolves.toEqual([2]);

    scores.begin('a', 'k')(Promise.resolve(1));
    scores.begin('b', 'k')(Promise.resolve(2));
    scores.begin('c', 'k')(Promise.resolve(3));
    expect(dropped).toBe(2);
    await expect(scores.take('a', 'k', 1)).resolves.toBeUndefined();
    await expect(scores.take('b', 'k', 1)).resolves.toEqual([2]);
    await expect(scores.take('c', 'k', 1)).resolves.toEqual([3]);
  });
});
