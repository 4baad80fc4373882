import { existsSync } from 'node:fs';
import path from 'node:path';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Piscina from 'piscina';
import { LoupeConfig } from '@loupe/config';
import type { ClassifyTaskInput, ClassifyTaskResult, ComputeWorkerData, DescribeHeadsTaskResult, HeadsRef, NsfwTaskResult, PdqTaskInput, PdqTaskResult, ScoreHeadsTaskInput, ScoreHeadsTaskResult } from './compute.tasks';

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

  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private run<T>(name: string, task: unknown, transferList: ArrayBuffer[]): Promise<T> {
    return this.getPool().run(task, { name, transferList }) as Promise<T>;
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
