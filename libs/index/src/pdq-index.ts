import { PDQ_HASH_WORDS } from '@loupe/hashing';
import { ActiveSegment } from './active-segment';
import { assertEntryId, assertMaxDistance, packHashes, writeHashWords } from './hash-words';
import { MAX_QUERIES_PER_CALL } from './kernel-memory';
import { MatchBuffer, sortedHits } from './match-buffer';
import { defaultPdqKernel } from './pdq-kernel';
import type { PlanarSegment } from './planar-segment';
import { MAX_SEALED_ENTRIES, SealedSegment } from './sealed-segment';
import { SegmentBuilder } from './segment-builder';
import type {
  IndexEntry,
  IndexHit,
  PdqHashInput,
  PdqIndexStats,
  SearchMethod,
  SearchOptions,
  SearchReport,
} from './index.types';
import type { WasmModule } from './wasm-api';

export interface PdqIndexOptions {
  /** Compiled kernels; by default the one @loupe/index loads from libs/index/wasm. */
  kernel?: WasmModule;
  /** Default search method (see SearchMethod). */
  method?: SearchMethod;
  /**
   * `inline` (default) finishes pending merges at the end of every add and
   * remove call: simple and deterministic for single-threaded use. `manual`
   * leaves them to maintain(), which a shard thread calls in small slices
   * between messages.
   */
  maintenance?: 'inline' | 'manual';
  /** Entries per active (appendable, scanned) segment. */
  activeCapacity?: number;
  /** Merges stop growing segments past this many entries (bounds the memory a merge holds twice). */
  maxSegmentEntries?: number;
  /** Smallest sealed segment that gets MIH tables. */
  mihMinEntries?: number;
  /** Entries of merge work per maintenance step. */
  stepEntries?: number;
}

/** At most this many segments merge at once (16K-entry frozen ones fill a 1.25M segment). */
const MAX_MERGE_SOURCES = 80;
/** Small segments are merged once this many fit under maxSegmentEntries. */
const MERGE_FACTOR = 4;

/**
 * One shard of the PDQ match index: synchronous and self-contained, usable
 * in a worker thread (ThreadedPdqIndex runs one per thread) and in tests.
 *
 * Entries live in segments (an LSM layout): new entries are appended to a
 * small active segment that is scanned; a full one is frozen and merged in
 * the background into sealed, id-sorted segments that carry multi-index
 * hashing tables; small sealed segments are merged into larger ones and a
 * segment with many removed entries is rewritten without them. Searches see
 * every segment at every moment, so maintenance never stops them, and each
 * segment picks MIH or a scan for each search by estimated cost (see
 * search-cost.ts). Results are exact: MIH's candidates are verified, and a
 * scan compares every entry.
 */
export class PdqIndex {
  private readonly kernel: WasmModule;
  private readonly method: SearchMethod;
  private readonly inline: boolean;
  private readonly activeCapacity: number;
  private readonly maxSegmentEntries: number;
  private readonly mihMinEntries: number;
  private readonly stepEntries: number;
  private active: ActiveSegment;
  private frozen: ActiveSegment[] = [];
  private sealed: SealedSegment[] = [];
  private builder: SegmentBuilder | null = null;
  private liveCount = 0;
  /** Largest id ever added: a larger one cannot be present, so a bulk load of new ids never searches. */
  private maxIdAdded = -1;
  private readonly scratch = new Uint32Array(PDQ_HASH_WORDS);
  private report: SearchReport = { mihSegments: 0, scanSegments: 0, mihCandidates: 0, scannedEntries: 0 };

  constructor(options: PdqIndexOptions = {}) {
    this.kernel = options.kernel ?? defaultPdqKernel();
    this.method = options.method ?? 'adaptive';
    this.inline = (options.maintenance ?? 'inline') === 'inline';
    this.activeCapacity = options.activeCapacity ?? 16384;
    this.maxSegmentEntries = Math.min(options.maxSegmentEntries ?? 1_250_000, MAX_SEALED_ENTRIES);
    this.mihMinEntries = options.mihMinEntries ?? 16384;
    this.stepEntries = options.stepEntries ?? 16384;
    this.active = new ActiveSegment(this.kernel, this.activeCapacity);
  }

  get size(): number {
    return this.liveCount;
  }

  has(id: number): boolean {
    return this.locate(id) !== null;
  }

  /** Adds an entry, replacing the entry with the same id if there is one. */
  add(id: number, hash: PdqHashInput): void {
    assertEntryId(id);
    writeHashWords(hash, this.scratch, 0);
    this.put(id, this.scratch, 0);
    this.afterChange();
  }

  /** Adds entries in order (a later duplicate id replaces an earlier one); validates all before adding any. */
  addMany(entries: readonly IndexEntry[]): void {
    const ids = new Uint32Array(entries.length);
    entries.forEach((e, i) => {
      assertEntryId(e.id);
      ids[i] = e.id;
    });
    this.addPacked(ids, packHashes(entries.map((e) => e.hash)));
  }

  /** addMany for ids and hashes already in binary form (8 words per hash). */
  addPacked(ids: Uint32Array, words: Uint32Array): void {
    if (words.length !== ids.length * PDQ_HASH_WORDS) throw new RangeError('addPacked needs 8 words per id');
    for (let i = 0; i < ids.length; i++) this.put(ids[i], words, i * PDQ_HASH_WORDS);
    this.afterChange();
  }

  /** Removes an entry; false if there was none with this id. */
  remove(id: number): boolean {
    const removed = this.delete(id);
    this.afterChange();
    return removed;
  }

  /** Removes entries; returns how many existed. Unknown ids are ignored. */
  removeMany(ids: Iterable<number>): number {
    let removed = 0;
    for (const id of ids) if (this.delete(id)) removed++;
    this.afterChange();
    return removed;
  }

  /**
   * Every entry within maxDistance (inclusive) of each query, ordered by
   * query, distance, id. All queries (e.g. the 8 dihedral hashes of an image)
   * go through each segment in one pass.
   */
  search(queries: readonly PdqHashInput[], maxDistance: number, options: SearchOptions = {}): IndexHit[] {
    return sortedHits(this.searchPacked(packHashes(queries), maxDistance, options));
  }

  /** search() on packed queries, returning unsorted (query, id, distance) triples. */
  searchPacked(queries: Uint32Array, maxDistance: number, options: SearchOptions = {}): Uint32Array {
    assertMaxDistance(maxDistance);
    if (queries.length % PDQ_HASH_WORDS !== 0) throw new RangeError('Packed queries need 8 words each');
    const method = options.method ?? this.method;
    const total = queries.length / PDQ_HASH_WORDS;
    const sink = new MatchBuffer();
    const report: SearchReport = { mihSegments: 0, scanSegments: 0, mihCandidates: 0, scannedEntries: 0 };
    for (let first = 0; first < total; first += MAX_QUERIES_PER_CALL) {
      const count = Math.min(MAX_QUERIES_PER_CALL, total - first);
      for (const segment of this.segments()) segment.search(queries, first, count, maxDistance, method, sink, report);
    }
    this.report = report;
    return sink.packed().slice();
  }

  memoryBytes(): number {
    let bytes = (this.builder?.memoryBytes() ?? 0) + this.scratch.byteLength;
    for (const segment of this.segments()) bytes += segment.memoryBytes();
    return bytes;
  }

  stats(): PdqIndexStats {
    const segments = this.segments();
    return {
      size: this.liveCount,
      memoryBytes: this.memoryBytes(),
      method: this.method,
      segments: segments.length,
      deadEntries: segments.reduce((sum, s) => sum + s.deadEntries, 0),
      maintenancePending: this.maintenancePending,
      lastSearch: { ...this.report },
    };
  }

  /** True while a merge is running or due. */
  get maintenancePending(): boolean {
    return this.builder !== null || this.nextMerge() !== null;
  }

  /**
   * Runs background merges for about `budgetMs` (at least one step); returns
   * true while work remains. Searches and updates are valid between any two
   * calls.
   */
  maintain(budgetMs = Infinity): boolean {
    const deadline = performance.now() + budgetMs;
    do {
      if (!this.builder) {
        const sources = this.nextMerge();
        if (!sources) return false;
        this.builder = new SegmentBuilder(this.kernel, sources, this.mihMinEntries);
      }
      if (this.builder.step(this.stepEntries)) this.install(this.builder);
    } while (performance.now() < deadline);
    return this.maintenancePending;
  }

  private afterChange(): void {
    if (this.inline) this.maintain();
  }

  private segments(): PlanarSegment[] {
    return [...this.sealed, ...this.frozen, this.active];
  }

  private put(id: number, words: Uint32Array, offset: number): void {
    if (id > this.maxIdAdded) this.maxIdAdded = id;
    else this.delete(id);
    this.liveCount++;
    if (this.active.full) {
      this.frozen.push(this.active);
      this.active = new ActiveSegment(this.kernel, this.activeCapacity);
    }
    this.active.append(id, words, offset);
  }

  private delete(id: number): boolean {
    const found = this.locate(id);
    if (!found) return false;
    found.segment.removeAt(found.index);
    this.liveCount--;
    if (this.builder && this.builder.sources.includes(found.segment)) this.builder.noteRemoved(id);
    return true;
  }

  private locate(id: number): { segment: PlanarSegment; index: number } | null {
    if (id > this.maxIdAdded) return null;
    let index = this.active.indexOf(id);
    if (index >= 0) return { segment: this.active, index };
    for (const segment of this.frozen) {
      index = segment.indexOf(id);
      if (index >= 0) return { segment, index };
    }
    for (const segment of this.sealed) {
      index = segment.indexOf(id);
      if (index >= 0) return { segment, index };
    }
    return null;
  }

  /** The next merge, by priority: seal frozen segments, compact, then merge small sealed ones. */
  private nextMerge(): PlanarSegment[] | null {
    this.frozen = this.frozen.filter((s) => s.live > 0);
    this.sealed = this.sealed.filter((s) => s.live > 0);
    if (this.frozen.length > 0) {
      // Every frozen segment that fits: after a bulk load, entries go straight into large segments.
      const group: PlanarSegment[] = [];
      let entries = 0;
      for (const segment of this.frozen) {
        if (group.length > 0 && (group.length === MAX_MERGE_SOURCES || entries + segment.live > this.maxSegmentEntries)) break;
        group.push(segment);
        entries += segment.live;
      }
      return group;
    }
    // A quarter removed: rewrite, so dead entries stop costing scan time and memory.
    const wasteful = this.sealed.find((s) => s.deadEntries * 4 >= s.entries);
    if (wasteful) return [wasteful];
    // Only segments under half the size cap merge, so an entry is copied into
    // a large segment once, not again with every small one that comes along.
    const half = this.maxSegmentEntries / 2;
    const small = this.sealed.filter((s) => s.live < half).sort((a, b) => a.live - b.live);
    const group: SealedSegment[] = [];
    let entries = 0;
    for (const segment of small) {
      if (group.length === MAX_MERGE_SOURCES || entries + segment.live > this.maxSegmentEntries) break;
      group.push(segment);
      entries += segment.live;
    }
    // Fewer, larger segments are faster (each costs bucket reads per query);
    // a merge is worth its copying when it joins MERGE_FACTOR segments or a
    // few balanced ones, never one big segment with a crumb.
    const largest = group.length > 0 ? group[group.length - 1].live : 0;
    const balanced = group.length >= 2 && (entries - largest) * 5 >= largest;
    const worthIt = group.length >= MERGE_FACTOR || balanced;
    return worthIt ? group : null;
  }

  private install(builder: SegmentBuilder): void {
    const merged = builder.result();
    const replaced = new Set<PlanarSegment>(builder.sources);
    this.frozen = this.frozen.filter((s) => !replaced.has(s));
    this.sealed = this.sealed.filter((s) => !replaced.has(s));
    if (merged.live > 0) this.sealed.push(merged);
    this.builder = null;
  }
}
