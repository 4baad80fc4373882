import { IndexEntry, ThreadedPdqIndex, linearScan, shardOf } from './index';
import { SeededRandom } from './testing/random-hashes.fixture';

const THRESHOLDS = [0, 1, 31, 32, 63, 100];
const PLANTED = [0, 1, 2, 15, 30, 31, 32, 33, 62, 63, 64, 65, 99, 100, 101];

describe('ThreadedPdqIndex', () => {
  let index: ThreadedPdqIndex;

  beforeAll(async () => {
    // Small segments so merges, sealing and MIH all run inside the threads.
    index = await ThreadedPdqIndex.start({ threads: 2, activeCapacity: 128, maxSegmentEntries: 2000, maintenanceSliceMs: 1 });
  });

  afterAll(async () => {
    await index.close();
  });

  // Hundreds of round trips to index threads: seconds on a busy machine, past Jest's default 5 s (seen at load 12).
  it('matches a linear scan while adds and removes interleave with searches', async () => {
    const random = new SeededRandom(0x7ead);
    const model = new Map<number, string>();
    const entries = (): IndexEntry[] => [...model].map(([id, hash]) => ({ id, hash }));
    const someId = (): number => {
      const ids = [...model.keys()];
      return ids[random.below(ids.length)];
    };
    let nextId = 1;

    for (let round = 0; round < 10; round++) {
      const batch: IndexEntry[] = [];
      for (let i = 0; i < 250; i++) {
        const near = model.size > 0 && i % 4 === 0;
        const hash = near ? random.hexAtDistance(model.get(someId())!, PLANTED[random.below(PLANTED.length)]) : random.hex();
        batch.push({ id: i % 25 === 0 && model.size > 0 ? someId() : nextId++, hash });
      }
      await index.addMany(batch);
      batch.forEach((e) => model.set(e.id, e.hash as string));

      const doomed = Array.from({ length: 40 }, () => someId());
      const existed = new Set(doomed).size;
      expect(await index.remove(doomed)).toBe(existed);
      doomed.forEach((id) => model.delete(id));

      const queries = Array.from({ length: 8 }, (_, q) =>
        q % 2 === 0 ? random.hexAtDistance(model.get(someId())!, PLANTED[random.below(PLANTED.length)]) : random.hex(),
      );
      for (const t of THRESHOLDS) {
        expect({ round, t, hits: await index.search(queries, t) }).toEqual({ round, t, hits: linearScan(entries(), queries, t) });
      }
    }
    expect((await index.stats()).size).toBe(model.size);

    await index.settle();
    const settled = await index.stats();
    expect(settled.maintenancePending).toBe(false);
    expect(settled.shards).toHaveLength(2);
    expect(settled.shards.every((s) => s.size > 0)).toBe(true);
    const queries = [...model.values()].slice(0, 8);
    expect(await index.search(queries, 31, { method: 'mih' })).toEqual(linearScan(entries(), queries, 31));
  }, 60_000);

  it('sees every add that completed before a search started, under concurrent calls', async () => {
    const random = new SeededRandom(11);
    const base = 5_000_000;
    const hashes = Array.from({ length: 40 }, () => random.hex());
    // Fire adds and searches together; each search issued after an add resolved must see that add.
    await Promise.all(
      hashes.map(async (hash, i) => {
        await index.addMany([{ id: base + i, hash }]);
        const hits = await index.search([hash], 0);
        expect(hits.some((h) => h.id === base + i)).toBe(true);
      }),
    );
    await index.remove(hashes.map((_, i) => base + i));
    expect(await index.search(hashes, 0)).toEqual([]);
  });

  it('refuses a malformed batch whole, before any shard sees it', async () => {
    const random = new SeededRandom(12);
    const good = random.hex();
    const before = (await index.stats()).size;
    await expect(index.addMany([{ id: 9_000_001, hash: good }, { id: 9_000_002, hash: 'nope' }])).rejects.toThrow(/Invalid PDQ hash/);
    await expect(index.addMany([{ id: -4, hash: good }])).rejects.toThrow(RangeError);
    await expect(index.search([good], 300)).rejects.toThrow(RangeError);
    expect((await index.stats()).size).toBe(before);
    expect(await index.search([good], 0)).toEqual([]);
  });

  it('spreads sequential ids over the shards', () => {
    const counts = [0, 0];
    for (let id = 1; id <= 10_000; id++) counts[shardOf(id, 2)]++;
    expect(Math.abs(counts[0] - counts[1])).toBeLessThan(400);
  });

  it('rejects calls after close', async () => {
    const other = await ThreadedPdqIndex.start({ threads: 1 });
    const hash = new SeededRandom(13).hex();
    await other.addMany([{ id: 1, hash }]);
    const pending = other.search([hash], 0);
    await other.close();
    expect(await pending).toEqual([{ query: 0, id: 1, distance: 0 }]);
    await expect(other.search([hash], 0)).rejects.toThrow(/closed/);
  });
});
