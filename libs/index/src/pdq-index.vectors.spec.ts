import { IndexHit, PdqIndex, PdqIndexOptions, SearchMethod, ThreadedPdqIndex, linearScan } from './index';
import { HAVE_MATCH_VECTORS, MatchCase, loadMatchCases } from './testing/match-vectors.fixture';

/*
 * The index against the reference's expected matches (ThreatExchange
 * needles/haystack at 31 and 63, and the synthetic boundary set with
 * entries at exactly 31/32 and 63/64), entry id = haystack line.
 */

const describeVectors = HAVE_MATCH_VECTORS ? describe : describe.skip;

function expectedHits(c: MatchCase): IndexHit[] {
  return c.expected
    .map((m) => ({ query: m.needle, id: m.haystack, distance: m.distance }))
    .sort((a, b) => a.query - b.query || a.distance - b.distance || a.id - b.id);
}

const CONFIGS: [string, PdqIndexOptions][] = [
  ['one active segment', {}],
  ['sealed segments with MIH', { activeCapacity: 100, mihMinEntries: 50 }],
];
const METHODS: SearchMethod[] = ['adaptive', 'mih', 'scan'];

describeVectors('PDQ index on the shared match vectors (../shared/vectors/match)', () => {
  const cases = HAVE_MATCH_VECTORS ? loadMatchCases() : [];

  it('has the boundary distances the README promises', () => {
    const boundary = cases.filter((c) => c.name.startsWith('boundary'));
    const distances = new Set(boundary.flatMap((c) => c.expected.map((m) => m.distance)));
    for (const d of [31, 63]) expect(distances.has(d)).toBe(true);
    // 32 and 64 exist in the haystack but must be absent from the d31/d63 expectations respectively.
    const d31 = boundary.find((c) => c.maxDistance === 31)!;
    expect(d31.expected.every((m) => m.distance <= 31)).toBe(true);
    expect(boundary.find((c) => c.maxDistance === 63)!.expected.some((m) => m.distance === 32)).toBe(true);
  });

  describe.each(CONFIGS)('PdqIndex, %s', (_name, options) => {
    it.each(METHODS)('method %s returns exactly the expected matches', (method) => {
      for (const c of cases) {
        const index = new PdqIndex(options);
        index.addMany(c.haystack.map((hash, id) => ({ id, hash })));
        const expected = expectedHits(c);
        expect({ case: c.name, hits: index.search(c.needles, c.maxDistance, { method }) }).toEqual({ case: c.name, hits: expected });
        // The reference scan agrees too, so the specs' oracle is checked against the reference as well.
        expect(linearScan(c.haystack.map((hash, id) => ({ id, hash })), c.needles, c.maxDistance)).toEqual(expected);
      }
    });
  });

  it('ThreadedPdqIndex returns exactly the expected matches', async () => {
    const index = await ThreadedPdqIndex.start({ threads: 2, activeCapacity: 128 });
    try {
      for (const c of cases) {
        await index.remove(Array.from({ length: 2000 }, (_, i) => i));
        await index.addMany(c.haystack.map((hash, id) => ({ id, hash })));
        expect({ case: c.name, hits: await index.search(c.needles, c.maxDistance) }).toEqual({
          case: c.name,
          hits: expectedHits(c),
        });
      }
    } finally {
      await index.close();
    }
  });
});
