/**
 * mulberry32: a small seeded PRNG, uniform in [0, 1). One for the whole
 * house, so that a seed gives the same training split, synthetic data and
 * test images everywhere.
 */
// Bound once: under Jest's vm sandbox every lookup of a global (Math) is
// slow, and this runs per pixel when tests draw images (a quarter of the
// learning loop's test time went to it).
const { imul } = Math;

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
