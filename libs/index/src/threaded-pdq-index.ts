import os from 'node:os';
import { PDQ_HASH_WORDS } from '@loupe/hashing';
import { assertEntryId, assertMaxDistance, packHashes } from './hash-words';
import { loadPdqKernel } from './kernel.loader';
import { MatchBuffer } from './match-buffer';
import { ShardClient } from './shard-client';
import { shardOf } from './shard-partition';
import type { IndexEntry, IndexHit, PdqHashInput, PdqIndexStats, SearchMethod, SearchOptions } from './index.types';
import type { WasmModule } from './wasm-api';

export interface ThreadedPdqIndexOptions {
  /** Shard threads; by default one per core, at most 8. */
  threads?: number;
  method?: SearchMethod;
  kernel?: WasmModule;
  /** Milliseconds of merge work a shard does between two looks at its messages (default 4). */
  maintenanceSliceMs?: number;
  /** Passed to each shard's PdqIndex (tests use small values to exercise merges). */
  activeCapacity?: number;
  maxSegmentEntries?: number;
}

export interface ThreadedPdqIndexStats {
  size: number;
  /** Bytes of index data in all shards (not the threads' own heaps). */
  memoryBytes: number;
  method: SearchMethod;
  threads: number;
  segments: number;
  deadEntries: number;
  maintenancePending: boolean;
  shards: PdqIndexStats[];
}

/**
 * The PDQ match index off the event loop: N shard threads, each owning the
 * entries whose id hashes to it (shardOf). Updates go to the owning shards,
 * searches to all of them, and the main thread only partitions, copies and
 * merges. Hashes are parsed here, before anything is sent, so a malformed
 * batch is refused whole.
 *
 * Every method may be called concurrently. Each shard handles its messages in
 * order, so a search sees every add and remove whose promise resolved before
 * the search was called.
 */
export class ThreadedPdqIndex {
  private closed = false;

  private constructor(
    private readonly shards: ShardClient[],
    readonly method: SearchMethod,
  ) {}

  static async start(options: ThreadedPdqIndexOptions = {}): Promise<ThreadedPdqIndex> {
    const threads = options.threads ?? Math.min(8, Math.max(1, os.availableParallelism()));
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    const method = options.method ?? 'adaptive';
    const kernel = options.kernel ?? loadPdqKernel();
    const started = await Promise.allSettled(
      Array.from({ length: threads }, () =>
        ShardClient.start({
          kernel,
          method,
          activeCapacity: options.activeCapacity,
          maxSegmentEntries: options.maxSegmentEntries,
          maintenanceSliceMs: options.maintenanceSliceMs ?? 4,
        }),
      ),
    );
    const shards = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(shards.map((s) => s.close()));
      throw failed.reason;
    }
    return new ThreadedPdqIndex(shards, method);
  }

  get threads(): number {
    return this.shards.length;
  }

  /** Adds entries, replacing those with the same ids; resolves once every shard holds them. */
  async addMany(entries: readonly IndexEntry[]): Promise<void> {
    const ids = new Uint32Array(entries.length);
    entries.forEach((e, i) => {
      assertEntryId(e.id);
      ids[i] = e.id;
    });
    await this.addPacked(ids, packHashes(entries.map((e) => e.hash)));
  }

  /** addMany for binary input: ids and 8 words per hash (pdqHexToWords order). */
  async addPacked(ids: Uint32Array, words: Uint32Array): Promise<void> {
    if (words.length !== ids.length * PDQ_HASH_WORDS) throw new RangeError('addPacked needs 8 words per id');
    const parts = this.partition(ids);
    await Promise.all(
      parts.map((positions, shard) => {
        if (positions.length === 0) return undefined;
        const shardIds = new Uint32Array(positions.length);
        const shardWords = new Uint32Array(positions.length * PDQ_HASH_WORDS);
        positions.forEach((p, i) => {
          shardIds[i] = ids[p];
          shardWords.set(words.subarray(p * PDQ_HASH_WORDS, (p + 1) * PDQ_HASH_WORDS), i * PDQ_HASH_WORDS);
        });
        return this.shards[shard].request({ op: 'add', ids: shardIds, words: shardWords }, [
          shardIds.buffer,
          shardWords.buffer,
        ]);
      }),
    );
  }

  /** Removes entries (unknown ids are ignored); resolves with how many existed. */
  async remove(ids: readonly number[]): Promise<number> {
    ids.forEach(assertEntryId);
    const parts = this.partition(Uint32Array.from(ids));
    const replies = await Promise.all(
      parts.map((positions, shard) => {
        if (positions.length === 0) return { removed: 0 };
        const shardIds = Uint32Array.from(positions, (p) => ids[p]);
        return this.shards[shard].request({ op: 'remove', ids: shardIds }, [shardIds.buffer]);
      }),
    );
    return replies.reduce((sum, r) => sum + r.removed, 0);
  }

  /**
   * Every entry within maxDistance (inclusive) of each query, ordered by
   * query, distance, id. Pass all hashes of an image (e.g. its 8 dihedral
   * hashes) in one call: each shard answers them in one pass.
   */
  async search(queries: readonly PdqHashInput[], maxDistance: number, options: SearchOptions = {}): Promise<IndexHit[]> {
    assertMaxDistance(maxDistance);
    if (queries.length === 0) return [];
    const packed = packHashes(queries);
    const replies = await Promise.all(
      this.shards.map((shard) =>
        shard.request({ op: 'search', queries: packed, maxDistance, method: options.method }),
      ),
    );
    const merged = new MatchBuffer(replies.reduce((sum, r) => sum + r.matches.length / 3, 0));
    for (const reply of replies) merged.pushPacked(reply.matches);
    return merged.toSortedHits();
  }

  async stats(): Promise<ThreadedPdqIndexStats> {
    const shards = (await Promise.all(this.shards.map((s) => s.request({ op: 'stats' })))).map((r) => r.stats);
    return {
      size: shards.reduce((sum, s) => sum + s.size, 0),
      memoryBytes: shards.reduce((sum, s) => sum + s.memoryBytes, 0),
      method: this.method,
      threads: shards.length,
      segments: shards.reduce((sum, s) => sum + s.segments, 0),
      deadEntries: shards.reduce((sum, s) => sum + s.deadEntries, 0),
      maintenancePending: shards.some((s) => s.maintenancePending),
      shards,
    };
  }

  /**
   * Resolves when no shard has merges pending. Never needed for correctness;
   * useful to measure a settled index, or to wait out a bulk load.
   */
  async settle(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.request({ op: 'settle' })));
  }

  /** Lets requests in flight finish, then stops the threads. Later calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.shards.map((s) => s.close()));
  }

  /** Positions of `ids` per owning shard. */
  private partition(ids: Uint32Array): number[][] {
    const parts: number[][] = this.shards.map(() => []);
    for (let i = 0; i < ids.length; i++) parts[shardOf(ids[i], this.shards.length)].push(i);
    return parts;
  }
}
