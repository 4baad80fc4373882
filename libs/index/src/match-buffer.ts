import type { IndexHit } from './index.types';

/**
 * Matches as packed (query, id, distance) u32 triples: what segments append
 * to and what a shard thread transfers to the main thread, so a large result
 * is never a few million small objects until the caller asks for them.
 */
export class MatchBuffer {
  private data: Uint32Array;
  private count = 0;

  constructor(initialMatches = 64) {
    this.data = new Uint32Array(Math.max(1, initialMatches) * 3);
  }

  get length(): number {
    return this.count;
  }

  push(query: number, id: number, distance: number): void {
    if ((this.count + 1) * 3 > this.data.length) this.growTo(this.count + 1);
    const at = this.count * 3;
    this.data[at] = query;
    this.data[at + 1] = id;
    this.data[at + 2] = distance;
    this.count++;
  }

  /** Appends packed triples (another shard's result). */
  pushPacked(triples: Uint32Array): void {
    const matches = triples.length / 3;
    if ((this.count + matches) * 3 > this.data.length) this.growTo(this.count + matches);
    this.data.set(triples, this.count * 3);
    this.count += matches;
  }

  /** The triples, trimmed; shares memory with the buffer until the next push. */
  packed(): Uint32Array {
    return this.data.subarray(0, this.count * 3);
  }

  /** Hits ordered by query, then distance, then id: the order every search returns. */
  toSortedHits(): IndexHit[] {
    return sortedHits(this.packed());
  }

  private growTo(matches: number): void {
    const next = new Uint32Array(Math.max(matches * 3, this.data.length * 2));
    next.set(this.data.subarray(0, this.count * 3));
    this.data = next;
  }
}

export function compareHits(a: IndexHit, b: IndexHit): number {
  return a.query - b.query || a.distance - b.distance || a.id - b.id;
}

export function sortedHits(triples: Uint32Array): IndexHit[] {
  const hits: IndexHit[] = new Array(triples.length / 3);
  for (let i = 0, at = 0; at < triples.length; i++, at += 3) {
    hits[i] = { query: triples[at], id: triples[at + 1], distance: triples[at + 2] };
  }
  return hits.sort(compareHits);
}
