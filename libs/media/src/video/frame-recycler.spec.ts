import { FrameRecycler } from './frame-recycler';

describe('FrameRecycler', () => {
  it('makes frames in shared memory and uses a frame given back again', () => {
    const recycler = new FrameRecycler(2);
    const first = recycler.take(12);
    expect(first.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(first.byteLength).toBe(12);
    const second = recycler.take(12);
    expect(second.buffer).not.toBe(first.buffer);
    recycler.giveBack(first);
    expect(recycler.take(12)).toBe(first);
    // None left to use again: a new one.
    expect([first, second]).not.toContain(recycler.take(12));
  });

  it('gives a frame of the size asked for only', () => {
    const recycler = new FrameRecycler(4);
    const small = recycler.take(6);
    recycler.giveBack(small);
    const large = recycler.take(12);
    expect(large).not.toBe(small);
    expect(large.byteLength).toBe(12);
    expect(recycler.take(6)).toBe(small);
  });

  it('keeps at most `keep` frames, each once, and none it did not make', () => {
    const recycler = new FrameRecycler(2);
    const [a, b, c] = [recycler.take(3), recycler.take(3), recycler.take(3)];
    recycler.giveBack(a);
    recycler.giveBack(a);
    recycler.giveBack(Buffer.alloc(3));
    recycler.giveBack(Buffer.from(new SharedArrayBuffer(6)).subarray(0, 3));
    recycler.giveBack(b);
    recycler.giveBack(c);
    const again = [recycler.take(3), recycler.take(3), recycler.take(3)];
    expect(again.slice(0, 2).sort((x, y) => (x === a ? -1 : y === a ? 1 : 0))).toEqual([a, b]);
    expect([a, b, c]).not.toContain(again[2]);
  });

  it('refuses a keep that is not a positive integer', () => {
    expect(() => new FrameRecycler(0)).toThrow(RangeError);
  });
});
