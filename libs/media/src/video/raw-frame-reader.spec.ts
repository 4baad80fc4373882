import { Readable } from 'node:stream';
import { readFixedSizeFrames } from './raw-frame-reader';

async function frames(chunks: number[][], frameBytes: number): Promise<number[][]> {
  const out: number[][] = [];
  for await (const frame of readFixedSizeFrames(Readable.from(chunks.map((c) => Buffer.from(c))), frameBytes)) out.push([...frame]);
  return out;
}

describe('readFixedSizeFrames', () => {
  it('reassembles frames across arbitrary chunk boundaries', async () => {
    const bytes = Array.from({ length: 24 }, (_, i) => i);
    const expected = [bytes.slice(0, 6), bytes.slice(6, 12), bytes.slice(12, 18), bytes.slice(18, 24)];
    expect(await frames([bytes], 6)).toEqual(expected);
    expect(await frames(bytes.map((b) => [b]), 6)).toEqual(expected);
    expect(await frames([bytes.slice(0, 5), bytes.slice(5, 13), bytes.slice(13)], 6)).toEqual(expected);
  });

  it('hands out a separate buffer per frame', async () => {
    const out: Buffer[] = [];
    for await (const frame of readFixedSizeFrames(Readable.from([Buffer.from([1, 2, 3, 4])]), 2)) out.push(frame);
    expect(out[0].buffer === out[1].buffer && out[0].byteOffset === out[1].byteOffset).toBe(false);
    expect(out.map((b) => [...b])).toEqual([[1, 2], [3, 4]]);
  });

  it("gives each frame the whole of an ArrayBuffer, even one small enough for Node's shared pool", async () => {
    for await (const frame of readFixedSizeFrames(Readable.from([Buffer.from([1, 2, 3, 4])]), 2)) {
      expect(frame.byteOffset).toBe(0);
      expect(frame.buffer.byteLength).toBe(2);
    }
  });

  it('takes each frame from the allocator it is given', async () => {
    const made: Buffer[] = [];
    const allocate = (bytes: number) => made[made.push(Buffer.alloc(bytes)) - 1];
    const out: Buffer[] = [];
    for await (const frame of readFixedSizeFrames(Readable.from([Buffer.from([1, 2, 3]), Buffer.from([4])]), 2, allocate)) out.push(frame);
    expect(out).toEqual(made);
    expect(out.map((b) => [...b])).toEqual([[1, 2], [3, 4]]);
  });

  it('fails when the stream stops inside a frame', async () => {
    await expect(frames([[1, 2, 3, 4, 5]], 2)).rejects.toThrow(/inside a frame \(1 of 2 bytes\)/);
  });

  it('gives nothing for an empty stream', async () => {
    expect(await frames([], 3)).toEqual([]);
  });
});
