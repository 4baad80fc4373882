import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Piscina from 'piscina';
import { LoupeConfig } from '@loupe/config';
import type { ClassifyTaskInput, ClassifyTaskResult, ComputeWorkerData, DescribeHeadsTaskResult, HeadsRef, NsfwTaskResult, PdqTaskInput, PdqTaskResult, ScoreHeadsTaskInput, ScoreHeadsTaskResult } from './compute.tasks';

/** How long shutdown waits for running tasks before it ends the threads anyway. */
const DRAIN_TIMEOUT_MS = 30_000;

function workerFile(): string {
  const compiled = path.join(__dirname, 'compute.worker.js');
  return existsSync(compiled) ? compiled : path.join(__dirname, 'compute.worker.dev.cjs');
}

/**
 * The compute threads. Created on first use, so an api-only process that
 * never hashes or classifies never starts threads or loads a model.
 */
@Injectable()
export class ComputePool implements OnApplicationShutdown {
  private pool: Piscina | null = null;
  private closed = false;
  /** Tasks sent and not yet settled; shutdown waits for them (see onApplicationShutdown). */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly config: LoupeConfig) {}

  async pdq(input: PdqTaskInput): Promise<PdqTaskResult> {
    // A copy is transferred, never the caller's buffer: a Node Buffer may
    // share its ArrayBuffer with others, and transferring detaches it.
    const rgb = new Uint8Array(input.rgb);
    return this.run<PdqTaskResult>('pdq', { ...input, rgb }, [rgb.buffer as ArrayBuffer]);
  }

  async classifyNsfw(rgb: Uint8Array): Promise<NsfwTaskResult> {
    const copy = new Uint8Array(rgb);
    return this.run<NsfwTaskResult>('classifyNsfw', { rgb: copy }, [copy.buffer as ArrayBuffer]);
  }

  /** The backbone's scores and embedding, and the scores of the heads graphs given, in one task. */
  async classify(input: ClassifyTaskInput): Promise<ClassifyTaskResult> {
    const rgb = new Uint8Array(input.rgb);
    return this.run<ClassifyTaskResult>('classify', { ...input, rgb }, [rgb.buffer as ArrayBuffer]);
  }

  /** Scores items with one heads graph, in a compute thread (a session run blocks its thread). */
  async scoreHeads(input: ScoreHeadsTaskInput): Promise<ScoreHeadsTaskResult> {
    // Frames are copied and transferred: posting a view clones its whole
    // ArrayBuffer, and a frame is often a view into an item's stored frames.
    const transfer: ArrayBuffer[] = [];
    const items = input.items.map((item) => {
      if (!item.pixels) return item;
      const pixels = new Uint8Array(item.pixels);
      transfer.push(pixels.buffer as ArrayBuffer);
      return { ...item, pixels };
    });
    return this.run<ScoreHeadsTaskResult>('scoreHeads', { ...input, items }, transfer);
  }

  /** What a stored heads graph reads and scores, from its metadata (its session loaded in a compute thread). */
  async describeHeads(heads: HeadsRef): Promise<DescribeHeadsTaskResult> {
    return this.run<DescribeHeadsTaskResult>('describeHeads', { heads }, []);
  }

  /**
   * Terminating a thread while onnxruntime runs in it aborts the whole
   * process ("terminate called after throwing an instance of
   * 'Napi::Error'"): a session run is synchronous native code, and the
   * binding cannot return into a JS context that is being torn down. So
   * the threads end only once every task sent has settled (bounded, so a
   * stuck task cannot hold shutdown forever). Piscina's own close() does
   * not guarantee this: it can resolve while a thread is still busy.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    if (!pool) return;
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, delay(DRAIN_TIMEOUT_MS, undefined, { ref: false })]);
    await pool.destroy();
  }

  private run<T>(name: string, task: unknown, transferList: ArrayBuffer[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The compute threads are shut down'));
    const result = this.getPool().run(task, { name, transferList }) as Promise<T>;
    this.inFlight.add(result);
    const forget = () => this.inFlight.delete(result);
    result.then(forget, forget);
    return result;
  }

  private getPool(): Piscina {
    if (!this.pool) {
      const threads = this.config.compute.threads;
      this.pool = new Piscina({
        filename: workerFile(),
        minThreads: threads,
        maxThreads: threads,
        // Threads keep the model loaded; never let them idle out.
        idleTimeout: Number.MAX_SAFE_INTEGER,
        workerData: { tfjsBackend: this.config.compute.tfjsBackend, backboneRuntime: this.config.compute.backboneRuntime, backboneOnnxDir: this.config.compute.backboneOnnxDir } satisfies ComputeWorkerData,
      });
    }
    return this.pool;
  }
}
