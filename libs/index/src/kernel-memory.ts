import { PdqKernelExports, instantiatePdqKernel } from './pdq-kernel';
import { Wasm, WasmMemory, WasmModule } from './wasm-api';

/*
 * One wasm memory with its own kernel instance. Every segment owns one, so a
 * merged-away segment is freed whole by the GC (a wasm memory can only grow)
 * and no allocator is needed. Layout, in bytes:
 *
 *   0        reserved (the kernels have no static data, but stay clear of 0)
 *   65536    queries: up to MAX_QUERIES_PER_CALL x 32 bytes, padded to 8
 *   98304    MIH plan: 16 radii (i8) per query
 *   114688   MIH mask table (every u16 of popcount <= 4, by popcount)
 *   122880   MIH planner scratch (32 f64)
 *   131072   data: the segment's planes and MIH tables (dataBytes)
 *   ...      output: matches as (entry, query, distance) u32 triples; grows
 */

const PAGE = 65536;
const QUERY_OFFSET = 65536;
const PLAN_OFFSET = 98304;
const MASK_OFFSET = 114688;
const SCRATCH_OFFSET = 122880;
export const DATA_OFFSET = 131072;

/** Queries one kernel call takes; longer batches are cut into calls of this many. */
export const MAX_QUERIES_PER_CALL = 1024;
const MATCH_BYTES = 12;
const INITIAL_OUTPUT_MATCHES = 4096;

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

export class KernelMemory {
  readonly memory: WasmMemory;
  readonly kernel: PdqKernelExports;
  private dataBytes: number;
  private view: Uint32Array;
  private masksReady = false;

  constructor(module: WasmModule, dataBytes: number) {
    this.dataBytes = align(dataBytes, 16);
    const bytes = this.outputOffset + INITIAL_OUTPUT_MATCHES * MATCH_BYTES;
    this.memory = new Wasm.Memory({ initial: Math.ceil(bytes / PAGE) });
    this.kernel = instantiatePdqKernel(module, this.memory);
    this.view = new Uint32Array(this.memory.buffer);
  }

  static readonly QUERY_OFFSET = QUERY_OFFSET;
  static readonly PLAN_OFFSET = PLAN_OFFSET;
  static readonly MASK_OFFSET = MASK_OFFSET;
  static readonly SCRATCH_OFFSET = SCRATCH_OFFSET;

  /** The whole memory as u32; re-fetched after growth detaches the old buffer. */
  get words(): Uint32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Uint32Array(this.memory.buffer);
    return this.view;
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  get outputOffset(): number {
    return DATA_OFFSET + this.dataBytes;
  }

  /** Matches that fit in the output region now. */
  get outputCapacity(): number {
    return Math.floor((this.byteLength - this.outputOffset) / MATCH_BYTES);
  }

  /** Enlarges the data region (the output region moves behind it; it holds nothing between calls). */
  growData(dataBytes: number): void {
    this.dataBytes = Math.max(this.dataBytes, align(dataBytes, 16));
    this.reserve(this.outputOffset + INITIAL_OUTPUT_MATCHES * MATCH_BYTES);
  }

  /** Fills the mask table the MIH kernels read; once per memory. */
  ensureMasks(): void {
    if (this.masksReady) return;
    this.kernel.mihInitMasks(MASK_OFFSET);
    this.masksReady = true;
  }

  /**
   * Copies queries [first, first + count) of a packed list (8 words each)
   * into the query region, repeating the last one up to a multiple of 8: the
   * scan kernel takes groups of 8 and only reports the real ones.
   */
  writeQueries(queries: Uint32Array, first: number, count: number): void {
    if (count > MAX_QUERIES_PER_CALL) throw new RangeError(`At most ${MAX_QUERIES_PER_CALL} queries per kernel call`);
    const words = this.words;
    const base = QUERY_OFFSET >>> 2;
    words.set(queries.subarray(first * 8, (first + count) * 8), base);
    const last = queries.subarray((first + count - 1) * 8, (first + count) * 8);
    for (let q = count; q % 8 !== 0; q++) words.set(last, base + q * 8);
  }

  /**
   * Runs a kernel that writes matches to the output region and returns how
   * many it found; when they did not all fit, grows the region and runs it
   * again. Returns the match count (triples at outputOffset).
   */
  collect(run: (out: number, capacity: number) => number): number {
    let count = run(this.outputOffset, this.outputCapacity);
    if (count > this.outputCapacity) {
      this.reserve(this.outputOffset + count * MATCH_BYTES);
      count = run(this.outputOffset, this.outputCapacity);
    }
    return count;
  }

  private reserve(bytes: number): void {
    const missing = bytes - this.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
  }
}
