import { DATA_OFFSET, KernelMemory } from './kernel-memory';
import type { SearchMethod, SearchReport } from './index.types';
import type { MatchBuffer } from './match-buffer';
import type { WasmModule } from './wasm-api';

/**
 * What every segment shares: a KernelMemory whose data region starts with
 * two planes of `capacity` x 16 bytes (hash words 0..3, then words 4..7),
 * the caller's ids by position, and a tombstone per position. Removing
 * never moves an entry: it sets the tombstone, and merges leave dead entries
 * behind. Searches filter tombstones on the (few) matches only.
 */
export abstract class PlanarSegment {
  readonly ids: Uint32Array;
  protected readonly dead: Uint8Array;
  protected readonly km: KernelMemory;
  protected n = 0;
  protected deadCount = 0;

  protected constructor(
    kernel: WasmModule,
    readonly capacity: number,
    extraDataBytes = 0,
  ) {
    this.km = new KernelMemory(kernel, capacity * 32 + extraDataBytes);
    this.ids = new Uint32Array(capacity);
    this.dead = new Uint8Array(capacity);
  }

  /** Positions in use, dead or alive. */
  get entries(): number {
    return this.n;
  }

  get live(): number {
    return this.n - this.deadCount;
  }

  get deadEntries(): number {
    return this.deadCount;
  }

  /** Byte offsets of the planes in the memory. */
  protected get prefixPlane(): number {
    return DATA_OFFSET;
  }

  protected get suffixPlane(): number {
    return DATA_OFFSET + this.capacity * 16;
  }

  /** Position of a live entry with this id, or -1. */
  abstract indexOf(id: number): number;

  isDead(index: number): boolean {
    return this.dead[index] === 1;
  }

  removeAt(index: number): void {
    if (this.dead[index]) return;
    this.dead[index] = 1;
    this.deadCount++;
  }

  /** Reads entry `index`'s 8 words into out[offset..offset + 8). */
  readWords(index: number, out: Uint32Array, offset: number): void {
    const words = this.km.words;
    const p = (this.prefixPlane >>> 2) + index * 4;
    const s = (this.suffixPlane >>> 2) + index * 4;
    out[offset] = words[p];
    out[offset + 1] = words[p + 1];
    out[offset + 2] = words[p + 2];
    out[offset + 3] = words[p + 3];
    out[offset + 4] = words[s];
    out[offset + 5] = words[s + 1];
    out[offset + 6] = words[s + 2];
    out[offset + 7] = words[s + 3];
  }

  /** Writes 8 words (hash order) as entry `index`. */
  protected writeWords(index: number, hash: Uint32Array, offset: number): void {
    const words = this.km.words;
    const p = (this.prefixPlane >>> 2) + index * 4;
    const s = (this.suffixPlane >>> 2) + index * 4;
    words[p] = hash[offset];
    words[p + 1] = hash[offset + 1];
    words[p + 2] = hash[offset + 2];
    words[p + 3] = hash[offset + 3];
    words[s] = hash[offset + 4];
    words[s + 1] = hash[offset + 5];
    words[s + 2] = hash[offset + 6];
    words[s + 3] = hash[offset + 7];
  }

  memoryBytes(): number {
    return this.km.byteLength + this.ids.byteLength + this.dead.byteLength;
  }

  /**
   * Queries [first, first + count) of the packed list against this segment;
   * live matches go to `sink` with their query's position in the full list.
   */
  search(
    queries: Uint32Array,
    first: number,
    count: number,
    maxDistance: number,
    method: SearchMethod,
    sink: MatchBuffer,
    report: SearchReport,
  ): void {
    if (this.live === 0) return;
    this.km.writeQueries(queries, first, count);
    const matches = this.runKernels(count, maxDistance, method, report);
    const words = this.km.words;
    for (let m = 0, at = this.km.outputOffset >>> 2; m < matches; m++, at += 3) {
      const index = words[at];
      if (!this.dead[index]) sink.push(first + words[at + 1], this.ids[index], words[at + 2]);
    }
  }

  /** Runs the search kernels over the queries in place; returns the match count. */
  protected runKernels(count: number, maxDistance: number, _method: SearchMethod, report: SearchReport): number {
    return this.runScan(count, maxDistance, report);
  }

  protected runScan(count: number, maxDistance: number, report: SearchReport): number {
    report.scanSegments++;
    report.scannedEntries += this.n;
    const { kernel } = this.km;
    return this.km.collect((out, cap) =>
      kernel.scan(KernelMemory.QUERY_OFFSET, count, this.prefixPlane, this.suffixPlane, this.n, maxDistance, out, cap),
    );
  }
}
