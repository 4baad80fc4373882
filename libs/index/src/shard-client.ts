import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ShardReady, ShardReply, ShardReplyValue, ShardRequest, ShardWorkerData } from './shard.protocol';

/** Distributive Omit, so each request variant keeps its own fields. */
type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

function workerFile(): string {
  const compiled = path.join(__dirname, 'pdq-shard.worker.js');
  return existsSync(compiled) ? compiled : path.join(__dirname, 'pdq-shard.worker.dev.cjs');
}

/**
 * The main thread's handle on one shard thread: numbered requests, one
 * promise each, settled by the reply with the same number. A thread that
 * dies fails everything pending and every later request with its error.
 */
export class ShardClient {
  private readonly pending = new Map<number, { resolve: (value: ShardReplyValue) => void; reject: (error: Error) => void }>();
  private readonly inflight = new Set<Promise<ShardReplyValue>>();
  private nextSeq = 1;
  private failure: Error | null = null;
  private closing = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: ShardReply) => this.settle(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`PDQ index shard thread exited with code ${code}`));
    });
  }

  static start(data: ShardWorkerData): Promise<ShardClient> {
    const worker = new Worker(workerFile(), { workerData: data });
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`PDQ index shard thread exited with code ${code} while starting`));
      };
      const onReady = (message: ShardReady): void => {
        if (!message.ready) return;
        cleanup();
        resolve(new ShardClient(worker));
      };
      const cleanup = (): void => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.off('message', onReady);
      };
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.on('message', onReady);
    });
  }

  request<T extends ShardReplyValue['op']>(
    body: WithoutSeq<ShardRequest> & { op: T },
    transfer: ArrayBuffer[] = [],
  ): Promise<Extract<ShardReplyValue, { op: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('PDQ index is closed'));
    const seq = this.nextSeq++;
    const reply = new Promise<ShardReplyValue>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...body, seq }, transfer);
    });
    this.inflight.add(reply);
    const forget = (): void => void this.inflight.delete(reply);
    reply.then(forget, forget);
    return reply as Promise<Extract<ShardReplyValue, { op: T }>>;
  }

  /** Lets the requests in flight finish, then stops the thread. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.allSettled([...this.inflight]);
    await this.worker.terminate();
  }

  private settle(message: ShardReply): void {
    const entry = this.pending.get(message.seq);
    if (!entry) return;
    this.pending.delete(message.seq);
    if (message.ok) entry.resolve(message.value);
    else entry.reject(new Error(message.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
