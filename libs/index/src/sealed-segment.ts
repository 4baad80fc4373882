import { KernelMemory } from './kernel-memory';
import { PlanarSegment } from './planar-segment';
import { mihCandidateLimit, scanCostNs } from './search-cost';
import type { SearchMethod, SearchReport } from './index.types';
import type { WasmModule } from './wasm-api';

const SLOTS = 16;
/** A posting is a 24-bit entry position (assembly/mih.ts). */
const POSTING_BYTES = 3;
/** Largest sealed segment: positions must fit in a posting. */
export const MAX_SEALED_ENTRIES = 2 ** 24 - 1;
const TABLE_BYTES = 65537 * 4;
/** u32 room for the candidates of one (query, slot) before they are verified. */
const GATHER_CAPACITY = 65536;
/** Bucket ranges ahead of the candidates in the gather area (MIH_RANGE_BYTES in assembly/mih.ts). */
const RANGE_BYTES = 32768;

type MihPhase = 'count' | 'prefix' | 'fill' | 'finish' | 'ready';

/**
 * An immutable run of entries sorted by id (binary search for remove/has),
 * with MIH tables when it is large enough for them to pay (their fixed 4 MiB
 * would dominate a small segment, which a scan answers in microseconds).
 * Built by SegmentBuilder: entries appended in id order, then the tables in
 * steps, so a shard thread keeps answering between steps.
 */
export class SealedSegment extends PlanarSegment {
  private readonly tablesOffset: number;
  private readonly postingsOffset: number;
  private readonly gatherOffset: number;
  private phase: MihPhase | null;
  private cursor = 0;

  constructor(kernel: WasmModule, capacity: number, withMih: boolean) {
    if (capacity > MAX_SEALED_ENTRIES) throw new RangeError(`A sealed segment holds at most ${MAX_SEALED_ENTRIES} entries`);
    const planes = capacity * 32;
    const tables = Math.ceil(planes / 64) * 64;
    const mihBytes = withMih ? tables - planes + SLOTS * TABLE_BYTES + SLOTS * capacity * POSTING_BYTES + RANGE_BYTES + GATHER_CAPACITY * 4 : 0;
    super(kernel, capacity, mihBytes);
    this.tablesOffset = this.prefixPlane + tables;
    this.postingsOffset = this.tablesOffset + SLOTS * TABLE_BYTES;
    this.gatherOffset = this.postingsOffset + SLOTS * capacity * POSTING_BYTES;
    this.phase = withMih ? 'count' : null;
    if (withMih) this.km.ensureMasks();
  }

  get hasMih(): boolean {
    return this.phase === 'ready';
  }

  /** Appends the next entry; ids must arrive in ascending order. */
  appendSorted(id: number, hash: Uint32Array, offset: number): void {
    if (this.n === this.capacity) throw new Error('Sealed segment is full');
    if (this.n > 0 && this.ids[this.n - 1] >= id) throw new Error('Sealed segment ids must be ascending');
    this.writeWords(this.n, hash, offset);
    this.ids[this.n++] = id;
  }

  /**
   * Builds the MIH tables over the appended entries, at most about
   * `chunkEntries` entries of work per call; returns true once they are ready
   * (at once for a segment without MIH).
   */
  buildStep(chunkEntries: number): boolean {
    const { kernel } = this.km;
    const chunk = Math.max(1, chunkEntries);
    switch (this.phase) {
      case null:
      case 'ready':
        return true;
      case 'count': {
        const to = Math.min(this.n, this.cursor + chunk);
        kernel.mihCount(this.prefixPlane, this.suffixPlane, this.cursor, to, this.tablesOffset);
        this.cursor = to;
        if (to === this.n) this.phase = 'prefix';
        return false;
      }
      case 'prefix':
        kernel.mihPrefix(this.tablesOffset);
        this.phase = 'fill';
        this.cursor = 0;
        return false;
      case 'fill': {
        const to = Math.min(this.n, this.cursor + chunk);
        kernel.mihFill(this.prefixPlane, this.suffixPlane, this.cursor, to, this.tablesOffset, this.postingsOffset, this.n);
        this.cursor = to;
        if (to === this.n) this.phase = 'finish';
        return false;
      }
      case 'finish':
        kernel.mihFinish(this.tablesOffset);
        this.phase = 'ready';
        return true;
    }
  }

  indexOf(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    if (hi < 0 || id < this.ids[0] || id > this.ids[hi]) return -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.ids[mid];
      if (value < id) lo = mid + 1;
      else if (value > id) hi = mid - 1;
      else return this.isDead(mid) ? -1 : mid;
    }
    return -1;
  }

  protected override runKernels(count: number, maxDistance: number, method: SearchMethod, report: SearchReport): number {
    if (method === 'scan' || !this.hasMih) return this.runScan(count, maxDistance, report);
    const limit = method === 'mih' ? Infinity : mihCandidateLimit(scanCostNs(this.n, count, maxDistance), count);
    const { kernel } = this.km;
    const planned = kernel.mihPlan(
      KernelMemory.QUERY_OFFSET,
      count,
      maxDistance,
      this.tablesOffset,
      KernelMemory.MASK_OFFSET,
      KernelMemory.PLAN_OFFSET,
      KernelMemory.SCRATCH_OFFSET,
      limit,
    );
    if (planned < 0) return this.runScan(count, maxDistance, report);
    report.mihSegments++;
    report.mihCandidates += planned;
    return this.km.collect((out, cap) =>
      kernel.mihSearch(
        KernelMemory.QUERY_OFFSET,
        count,
        maxDistance,
        this.prefixPlane,
        this.suffixPlane,
        this.n,
        this.tablesOffset,
        this.postingsOffset,
        KernelMemory.MASK_OFFSET,
        KernelMemory.PLAN_OFFSET,
        this.gatherOffset,
        GATHER_CAPACITY,
        out,
        cap,
      ),
    );
  }
}
