/**
 * Entry point of a shard thread of ThreadedPdqIndex: one PdqIndex, pinned to
 * this thread for its lifetime. Messages are handled in arrival order, so an
 * add acknowledged before a search was sent is visible to that search.
 * Merges run in short slices between messages (setImmediate yields to the
 * message queue), so a search waits at most one slice, never a rebuild.
 *
 * Imports stay free of NestJS: the kernel arrives compiled in workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PdqIndex } from './pdq-index';
import type { ShardReady, ShardReply, ShardReplyValue, ShardRequest, ShardWorkerData } from './shard.protocol';

const settings = workerData as ShardWorkerData;
const port = parentPort!;
const index = new PdqIndex({
  kernel: settings.kernel,
  method: settings.method,
  maintenance: 'manual',
  activeCapacity: settings.activeCapacity,
  maxSegmentEntries: settings.maxSegmentEntries,
});
let maintenanceScheduled = false;
const settleWaiters: number[] = [];

function reply(message: ShardReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function handle(request: ShardRequest): ShardReplyValue | null {
  switch (request.op) {
    case 'add':
      index.addPacked(request.ids, request.words);
      return { op: 'add' };
    case 'remove':
      return { op: 'remove', removed: index.removeMany(request.ids) };
    case 'search':
      return { op: 'search', matches: index.searchPacked(request.queries, request.maxDistance, { method: request.method }) };
    case 'stats':
      return { op: 'stats', stats: index.stats() };
    case 'settle':
      if (!index.maintenancePending) return { op: 'settle' };
      settleWaiters.push(request.seq);
      return null;
  }
}

function runMaintenance(): void {
  maintenanceScheduled = false;
  let more: boolean;
  try {
    more = index.maintain(settings.maintenanceSliceMs);
  } catch (error) {
    // A failed merge leaves the sources serving; report it to whoever waits.
    const message = (error as Error).message;
    for (const seq of settleWaiters.splice(0)) reply({ seq, ok: false, error: message });
    return;
  }
  if (more) {
    scheduleMaintenance();
    return;
  }
  // Merged-away segments are whole wasm memories; when the host exposes gc
  // (the benchmark does), free them now rather than under memory pressure.
  (globalThis as { gc?: () => void }).gc?.();
  for (const seq of settleWaiters.splice(0)) reply({ seq, ok: true, value: { op: 'settle' } });
}

function scheduleMaintenance(): void {
  if (maintenanceScheduled || !index.maintenancePending) return;
  maintenanceScheduled = true;
  setImmediate(runMaintenance);
}

port.on('message', (request: ShardRequest) => {
  try {
    const value = handle(request);
    if (value) reply({ seq: request.seq, ok: true, value }, value.op === 'search' ? [value.matches.buffer as ArrayBuffer] : []);
  } catch (error) {
    reply({ seq: request.seq, ok: false, error: (error as Error).message });
  }
  scheduleMaintenance();
});

port.postMessage({ ready: true } satisfies ShardReady);
