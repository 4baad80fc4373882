import type { PdqIndexStats, SearchMethod } from './index.types';
import type { WasmModule } from './wasm-api';

/** What a shard thread is started with. */
export interface ShardWorkerData {
  kernel: WasmModule;
  method: SearchMethod;
  activeCapacity?: number;
  maxSegmentEntries?: number;
  /** Milliseconds of merge work between two looks at the message queue. */
  maintenanceSliceMs: number;
}

/** Main thread -> shard. Every request gets exactly one ShardReply with its seq. */
export type ShardRequest =
  | { seq: number; op: 'add'; ids: Uint32Array; words: Uint32Array }
  | { seq: number; op: 'remove'; ids: Uint32Array }
  | { seq: number; op: 'search'; queries: Uint32Array; maxDistance: number; method?: SearchMethod }
  | { seq: number; op: 'stats' }
  | { seq: number; op: 'settle' };

export type ShardReplyValue =
  | { op: 'add' }
  | { op: 'remove'; removed: number }
  | { op: 'search'; matches: Uint32Array }
  | { op: 'stats'; stats: PdqIndexStats }
  | { op: 'settle' };

export type ShardReply = { seq: number; ok: true; value: ShardReplyValue } | { seq: number; ok: false; error: string };

/** First message of a shard: the kernel compiled and the index is ready. */
export interface ShardReady {
  ready: true;
}
