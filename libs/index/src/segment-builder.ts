import { PDQ_HASH_WORDS } from '@loupe/hashing';
import { ActiveSegment } from './active-segment';
import { IdMergeHeap } from './id-merge-heap';
import type { PlanarSegment } from './planar-segment';
import { SealedSegment } from './sealed-segment';
import type { WasmModule } from './wasm-api';

/**
 * Merges segments into one SealedSegment, a bounded amount of work per
 * step, while the sources keep answering searches: this is how the index
 * seals full active segments, merges small sealed ones and drops removed
 * entries, without ever stopping to rebuild.
 *
 * The live entries of the sources are copied in ascending id order (a k-way
 * merge over a heap: sealed sources are sorted already, active ones are
 * sorted once),
 * then the MIH tables are built. Entries removed from a source after the
 * merge began are logged by the index (noteRemoved) and tombstoned in the
 * result before it replaces the sources, so no removal is lost.
 */
export class SegmentBuilder {
  private readonly target: SealedSegment;
  private readonly orders: (Uint32Array | null)[];
  private readonly heads: number[];
  private readonly heap: IdMergeHeap;
  private readonly removed: number[] = [];
  private readonly scratch = new Uint32Array(PDQ_HASH_WORDS);
  private copying = true;
  private done = false;

  constructor(
    kernel: WasmModule,
    readonly sources: readonly PlanarSegment[],
    mihMinEntries: number,
  ) {
    const live = sources.reduce((sum, s) => sum + s.live, 0);
    this.target = new SealedSegment(kernel, Math.max(1, live), live >= mihMinEntries);
    this.orders = sources.map((s) => (s instanceof ActiveSegment ? s.positionsById() : null));
    this.heads = sources.map(() => 0);
    this.heap = new IdMergeHeap(sources.length);
    sources.forEach((source, k) => {
      const position = this.nextLive(k);
      if (position >= 0) this.heap.push(source.ids[position], k);
    });
  }

  /** Bytes held by the segment under construction. */
  memoryBytes(): number {
    return this.target.memoryBytes();
  }

  /** An entry of a source was removed after the merge began. */
  noteRemoved(id: number): void {
    this.removed.push(id);
  }

  get finished(): boolean {
    return this.done;
  }

  /** Does up to `chunkEntries` entries of work; returns true when the result is ready. */
  step(chunkEntries: number): boolean {
    if (this.done) return true;
    if (this.copying) {
      this.copy(Math.max(1, chunkEntries));
      return false;
    }
    if (!this.target.buildStep(chunkEntries)) return false;
    for (const id of this.removed) {
      const index = this.target.indexOf(id);
      if (index >= 0) this.target.removeAt(index);
    }
    this.removed.length = 0;
    this.done = true;
    return true;
  }

  /** The merged segment; only once step() returned true. */
  result(): SealedSegment {
    if (!this.done) throw new Error('Segment build not finished');
    return this.target;
  }

  private copy(budget: number): void {
    const { sources, heads, orders, scratch, target, heap } = this;
    while (budget-- > 0) {
      if (heap.empty) {
        this.copying = false;
        return;
      }
      const k = heap.topSource;
      const order = orders[k];
      const position = order ? order[heads[k]] : heads[k];
      // Removed since it became the head? Then it is simply not copied.
      if (!sources[k].isDead(position)) {
        sources[k].readWords(position, scratch, 0);
        target.appendSorted(heap.topId, scratch, 0);
      }
      heads[k]++;
      const next = this.nextLive(k);
      if (next >= 0) heap.replaceTop(sources[k].ids[next]);
      else heap.pop();
    }
  }

  /** Position of source k's next live entry (skipping removed ones), or -1. */
  private nextLive(k: number): number {
    const source = this.sources[k];
    const order = this.orders[k];
    const end = order ? order.length : source.entries;
    while (this.heads[k] < end) {
      const position = order ? order[this.heads[k]] : this.heads[k];
      if (!source.isDead(position)) return position;
      this.heads[k]++;
    }
    return -1;
  }
}
