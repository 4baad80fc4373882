import { pdqHashDihedral, pdqHexToWords } from '@loupe/hashing';
import { IndexEntry, IndexHit, PdqIndex, PdqIndexOptions, SearchMethod, linearScan } from './index';
import { SeededRandom } from './testing/random-hashes.fixture';

const THRESHOLDS = [0, 1, 31, 32, 63, 100];
const METHODS: SearchMethod[] = ['adaptive', 'mih', 'scan'];
/** Distances the near-duplicates are planted at: both sides of every threshold above. */
const PLANTED = [0, 1, 2, 15, 30, 31, 32, 33, 47, 62, 63, 64, 65, 99, 100, 101];

/** The entries the index should hold, for the reference scan. */
class Model {
  readonly hashes = new Map<number, string>();

  entries(): IndexEntry[] {
    return [...this.hashes].map(([id, hash]) => ({ id, hash }));
  }

  randomId(random: SeededRandom): number {
    const ids = [...this.hashes.keys()];
    return ids[random.below(ids.length)];
  }
}

/** Half the queries near an entry (at a planted distance), half random. */
function queriesFor(model: Model, random: SeededRandom, count: number): string[] {
  return Array.from({ length: count }, (_, q) =>
    q % 2 === 0
      ? random.hexAtDistance(model.hashes.get(model.randomId(random))!, PLANTED[random.below(PLANTED.length)])
      : random.hex(),
  );
}

function expectSameAsScan(index: PdqIndex, model: Model, queries: string[], methods = METHODS): void {
  const entries = model.entries();
  for (const t of THRESHOLDS) {
    const expected = linearScan(entries, queries, t);
    for (const method of methods) {
      const hits = index.search(queries, t, { method });
      if (hits.length !== expected.length || JSON.stringify(hits) !== JSON.stringify(expected)) {
        // toEqual prints the difference; the label says which search it was.
        expect({ t, method, hits }).toEqual({ t, method, hits: expected });
      }
    }
  }
}

describe('PdqIndex', () => {
  describe('entries', () => {
    it('adds, replaces, finds and removes entries by id', () => {
      const random = new SeededRandom(1);
      const index = new PdqIndex();
      const a = random.hex();
      const b = random.hex();
      index.add(7, a);
      index.add(9, pdqHexToWords(b));
      expect(index.size).toBe(2);
      expect(index.has(7)).toBe(true);
      expect(index.search([a], 0)).toEqual([{ query: 0, id: 7, distance: 0 }]);

      index.add(7, b); // same id: replaces, never duplicates
      expect(index.size).toBe(2);
      expect(index.search([a], 0)).toEqual([]);
      expect(index.search([b], 0)).toEqual([
        { query: 0, id: 7, distance: 0 },
        { query: 0, id: 9, distance: 0 },
      ]);

      expect(index.remove(9)).toBe(true);
      expect(index.remove(9)).toBe(false);
      expect(index.removeMany([7, 12345])).toBe(1);
      expect(index.size).toBe(0);
      expect(index.search([b], 256)).toEqual([]);
    });

    it('refuses malformed input, and a bad batch adds nothing', () => {
      const index = new PdqIndex();
      const good = new SeededRandom(2).hex();
      expect(() => index.add(-1, good)).toThrow(RangeError);
      expect(() => index.add(2 ** 32, good)).toThrow(RangeError);
      expect(() => index.add(1.5, good)).toThrow(RangeError);
      expect(() => index.add(1, 'abc')).toThrow(/Invalid PDQ hash/);
      expect(() => index.add(1, new Uint32Array(7))).toThrow(TypeError);
      expect(() => index.addMany([{ id: 1, hash: good }, { id: 2, hash: `${good.slice(1)}x` }])).toThrow();
      expect(index.size).toBe(0);
      expect(() => index.search([good], -1)).toThrow(RangeError);
      expect(() => index.search([good], 257)).toThrow(RangeError);
      expect(() => index.search([good], 31.5)).toThrow(RangeError);
    });

    it('accepts the largest id and upper-case hex', () => {
      const index = new PdqIndex();
      const hash = new SeededRandom(3).hex();
      index.add(0xffffffff, hash.toUpperCase());
      expect(index.search([hash], 0)).toEqual([{ query: 0, id: 0xffffffff, distance: 0 }]);
    });
  });

  describe('exactness at the threshold', () => {
    it.each([
      ['one active segment', {}],
      ['sealed segments with MIH', { activeCapacity: 64, mihMinEntries: 32 }],
    ] as [string, PdqIndexOptions][])('%s: every planted distance lands on the right side', (_name, options) => {
      const random = new SeededRandom(4);
      const index = new PdqIndex(options);
      const model = new Model();
      const centres = Array.from({ length: 6 }, () => random.hex());
      let id = 1;
      for (const centre of centres) {
        for (const d of [...PLANTED, 127, 128, 200, 255, 256]) model.hashes.set(id++, random.hexAtDistance(centre, d));
      }
      for (let i = 0; i < 300; i++) model.hashes.set(id++, random.hex());
      index.addMany(model.entries());
      for (const t of [...THRESHOLDS, 15, 47, 79, 80, 127, 128, 255, 256]) {
        const expected = linearScan(model.entries(), centres, t);
        for (const method of METHODS) expect(index.search(centres, t, { method })).toEqual(expected);
      }
      // At 256 everything matches every query; at 255 only the complements (distance 256) drop out.
      expect(index.search(centres, 256)).toHaveLength(model.hashes.size * centres.length);
    });
  });

  describe.each([
    ['inline maintenance, small segments', { activeCapacity: 128, mihMinEntries: 64, maxSegmentEntries: 1500, stepEntries: 37 }, false],
    ['manual maintenance, merges in flight', { activeCapacity: 100, mihMinEntries: 50, maxSegmentEntries: 1200, stepEntries: 23, maintenance: 'manual' }, true],
    ['default options', {}, false],
  ] as [string, PdqIndexOptions, boolean][])('random data with planted near-duplicates: %s', (_name, options, stepBetween) => {
    it('matches a linear scan while entries are added and removed between searches', () => {
      const random = new SeededRandom(0x5eed);
      const index = new PdqIndex(options);
      const model = new Model();
      let nextId = 1000;
      // A few steps of merge work at a time: merges stay in flight across updates and searches.
      const step = (): void => {
        if (stepBetween) for (let k = 0; k < 6; k++) index.maintain(0);
      };

      const initial: IndexEntry[] = [];
      for (let i = 0; i < 1500; i++) initial.push({ id: nextId++, hash: random.hex() });
      for (let i = 0; i < 300; i++) {
        const source = initial[random.below(initial.length)].hash as string;
        initial.push({ id: nextId++, hash: random.hexAtDistance(source, PLANTED[i % PLANTED.length]) });
      }
      index.addMany(initial);
      initial.forEach((e) => model.hashes.set(e.id, e.hash as string));

      let mihSearches = 0;
      let searchesDuringMerges = 0;
      for (let round = 0; round < 12; round++) {
        step();
        for (let i = 0; i < 120; i++) {
          const near = i % 3 === 0 && model.hashes.size > 0;
          const hash = near
            ? random.hexAtDistance(model.hashes.get(model.randomId(random))!, PLANTED[random.below(PLANTED.length)])
            : random.hex();
          const id = i % 10 === 0 ? model.randomId(random) : nextId++; // some replace an existing id
          index.add(id, hash);
          model.hashes.set(id, hash);
          if (i % 40 === 0) step();
        }
        step();
        const doomed = Array.from({ length: 60 }, () => model.randomId(random));
        doomed.push(999_999_999); // unknown ids are ignored
        const existed = new Set(doomed.filter((id) => model.hashes.has(id))).size;
        expect(index.removeMany(doomed)).toBe(existed);
        doomed.forEach((id) => model.hashes.delete(id));
        step();
        expect(index.size).toBe(model.hashes.size);

        const queries = queriesFor(model, random, 8);
        if (index.stats().maintenancePending) searchesDuringMerges++;
        expectSameAsScan(index, model, queries);
        index.search(queries, 31, { method: 'mih' });
        if (index.stats().lastSearch.mihSegments > 0) mihSearches++;
        step();
      }
      if (options.activeCapacity) expect(mihSearches).toBeGreaterThan(0);
      if (stepBetween) expect(searchesDuringMerges).toBeGreaterThan(0);

      while (index.maintain()) {
        // drain
      }
      expect(index.stats().maintenancePending).toBe(false);
      expectSameAsScan(index, model, queriesFor(model, random, 8));
      for (const id of [...model.hashes.keys()].slice(0, 50)) expect(index.has(id)).toBe(true);
    });
  });

  it('does not lose a removal made while a merge copies the entry', () => {
    const random = new SeededRandom(6);
    const index = new PdqIndex({ activeCapacity: 50, mihMinEntries: 20, stepEntries: 10, maintenance: 'manual' });
    const entries = Array.from({ length: 400 }, (_, i) => ({ id: i + 1, hash: random.hex() }));
    index.addMany(entries);
    index.maintain(0); // a merge of the frozen segments is now in flight
    expect(index.stats().maintenancePending).toBe(true);
    const removed = entries.filter((_, i) => i % 3 === 0);
    index.removeMany(removed.map((e) => e.id));
    while (index.maintain(0)) {
      // let every merge finish
    }
    const live = entries.filter((_, i) => i % 3 !== 0);
    expect(index.size).toBe(live.length);
    const queries = entries.slice(0, 30).map((e) => e.hash);
    expect(index.search(queries, 0)).toEqual(linearScan(live, queries, 0));
    expect(index.stats().segments).toBeLessThan(8);
  });

  describe('dihedral batch', () => {
    it('answers the 8 dihedral hashes of an image in one call exactly as 8 single calls', () => {
      const random = new SeededRandom(7);
      const width = 96;
      const height = 64;
      const rgb = new Uint8Array(width * height * 3);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 3;
          rgb[i] = (x * 5 + y * 2) & 255;
          rgb[i + 1] = (128 + 100 * Math.sin(x / 9) * Math.cos(y / 7)) & 255;
          rgb[i + 2] = (x * y) & 255;
        }
      }
      const dihedral = pdqHashDihedral(rgb, width, height).hashes;
      expect(dihedral).toHaveLength(8);

      const index = new PdqIndex({ activeCapacity: 256, mihMinEntries: 128 });
      const entries: IndexEntry[] = [];
      for (let i = 0; i < 3000; i++) entries.push({ id: i, hash: random.hex() });
      // Re-uploads of the image as rotated or flipped copies, at various distances from each variant.
      dihedral.forEach((hash, v) => {
        for (const d of [0, 5, 20, 31, 32, 50]) entries.push({ id: 10_000 + v * 100 + d, hash: random.hexAtDistance(hash, d) });
      });
      index.addMany(entries);

      for (const t of [31, 63]) {
        const batched = index.search(dihedral, t);
        const single: IndexHit[] = dihedral.flatMap((hash, q) => index.search([hash], t).map((hit) => ({ ...hit, query: q })));
        expect(batched).toEqual(single);
        expect(batched).toEqual(linearScan(entries, dihedral, t));
        expect(new Set(batched.map((h) => h.query)).size).toBe(8);
      }
    });

    it('splits batches longer than one kernel call (1024 queries) without losing any', () => {
      const random = new SeededRandom(8);
      const entries = Array.from({ length: 500 }, (_, i) => ({ id: i, hash: random.hex() }));
      const index = new PdqIndex({ activeCapacity: 200, mihMinEntries: 100 });
      index.addMany(entries);
      const queries = Array.from({ length: 1100 }, (_, q) => (q % 3 === 0 ? random.hexAtDistance(entries[q % 500].hash, q % 40) : random.hex()));
      for (const t of [31, 63]) expect(index.search(queries, t)).toEqual(linearScan(entries, queries, t));
    });

    it('returns results larger than the initial output buffer', () => {
      const random = new SeededRandom(9);
      const entries = Array.from({ length: 2000 }, (_, i) => ({ id: i, hash: random.hex() }));
      const index = new PdqIndex({ activeCapacity: 512, mihMinEntries: 256 });
      index.addMany(entries);
      const queries = Array.from({ length: 8 }, () => random.hex());
      const hits = index.search(queries, 256);
      expect(hits).toHaveLength(16000);
      expect(hits).toEqual(linearScan(entries, queries, 256));
    });
  });

  it('reports its memory, segments and the methods of the last search', () => {
    const random = new SeededRandom(10);
    const index = new PdqIndex({ activeCapacity: 1000, mihMinEntries: 500 });
    index.addMany(Array.from({ length: 5000 }, (_, i) => ({ id: i, hash: random.hex() })));
    const stats = index.stats();
    expect(stats).toMatchObject({ size: 5000, method: 'adaptive', maintenancePending: false, deadEntries: 0 });
    expect(stats.memoryBytes).toBeGreaterThan(5000 * 32);
    index.search([random.hex()], 31, { method: 'mih' });
    expect(index.stats().lastSearch.mihSegments).toBeGreaterThan(0);
    index.search([random.hex()], 31, { method: 'scan' });
    expect(index.stats().lastSearch).toMatchObject({ mihSegments: 0, scannedEntries: 5000 });
    // Radius 4 in all 16 slots covers t <= 79; beyond, MIH cannot help and the segment is scanned.
    index.search([random.hex()], 80, { method: 'mih' });
    expect(index.stats().lastSearch.mihSegments).toBe(0);
  });
});
