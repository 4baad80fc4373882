import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import Piscina from 'piscina';
import { LoupeConfig } from '@loupe/config';
import { LoupeMetrics } from '@loupe/metrics';
import type { BackboneSource, BackboneState } from '@loupe/ml';
import type { BackboneStateMessage, ClassifyTaskInput, ClassifyTaskResult, ComputeWorkerData, DescribeHeadsTaskResult, HeadsRef, NsfwTaskResult, PdqTaskInput, PdqTaskResult, PrepareBackboneTaskResult, ScoreHeadsTaskInput, ScoreHeadsTaskResult } from './compute.tasks';

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
  /** Where the threads find the backbone's graph: the registry's, once it says (serveBackboneFrom). */
  private backboneSource: (() => Promise<BackboneSource>) | null = null;
  private backboneSourced: Promise<BackboneSource> | null = null;
  /** What each thread loaded the backbone with, as it reported. */
  private readonly backboneStates = new Map<number, BackboneState>();

  constructor(
    private readonly config: LoupeConfig,
    // Absent where a pool is built by hand (scripts, tests): nothing is timed then.
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  /**
   * Serves the backbone from the graph `source` gives (the registry's
   * artefact, checked against its sha256 in each thread before it loads).
   * Without one (a process with no registry) the threads keep the graph in
   * BACKBONE_ONNX_DIR themselves.
   */
  serveBackboneFrom(source: () => Promise<BackboneSource>): void {
    this.backboneSource = source;
    this.backboneSourced = null;
  }

  /**
   * The runtime the backbone serves on, as the threads loaded it: the worst
   * of them (tfjs if any fell back), with why. Before a thread has loaded
   * it (threads load on their first classification), what was asked for.
   */
  backboneStatus(): { runtime: 'onnxruntime' | 'tfjs'; requested: 'onnxruntime' | 'tfjs'; artefact: string | null; fallbackReason: string | null } {
    const requested = this.config.compute.backboneRuntime;
    const states = [...this.backboneStates.values()];
    const worst = states.find((state) => state.fallbackReason !== null) ?? states[0];
    return worst ? { runtime: worst.runtime, requested, artefact: worst.artefact, fallbackReason: worst.fallbackReason } : { runtime: requested, requested, artefact: null, fallbackReason: null };
  }

  /** The backbone's graph, kept in `dir` or exported now (tfjs, in a thread), with its lineage: for the registry. */
  async prepareBackbone(dir: string): Promise<PrepareBackboneTaskResult> {
    return this.run<PrepareBackboneTaskResult>('prepareBackbone', { dir }, []);
  }

  /**
   * `handOver`: the caller leaves its pixels to the task, and a 720p
   * frame's copy cost the main thread about 8 ms, most of it faulting in
   * fresh pages. Pixels in a SharedArrayBuffer (a FrameRecycler's) are read
   * in place, and the caller must not change them until the task settles;
   * pixels that are the whole of an ArrayBuffer (a video frame's, see
   * readFixedSizeFrames) move to the thread, and `input.rgb` is empty
   * afterwards. Anything else, and everything without `handOver`, goes as
   * a copy, never the caller's buffer: a Node Buffer may share its
   * ArrayBuffer with others, and transferring detaches it.
   */
  async pdq(input: PdqTaskInput, options: { handOver?: boolean } = {}): Promise<PdqTaskResult> {
    if (options.handOver && input.rgb.buffer instanceof SharedArrayBuffer) return this.run<PdqTaskResult>('pdq', input, []);
    const whole = input.rgb.byteOffset === 0 && input.rgb.byteLength === input.rgb.buffer.byteLength;
    const rgb = options.handOver && whole ? input.rgb : new Uint8Array(input.rgb);
    return this.run<PdqTaskResult>('pdq', { ...input, rgb }, [rgb.buffer as ArrayBuffer]);
  }

  async classifyNsfw(rgb: Uint8Array): Promise<NsfwTaskResult> {
    const copy = new Uint8Array(rgb);
    return this.run<NsfwTaskResult>('classifyNsfw', { rgb: copy, backbone: await this.backbone() }, [copy.buffer as ArrayBuffer]);
  }

  /** The backbone's scores and embedding, and the scores of the heads graphs given, in one task. */
  async classify(input: ClassifyTaskInput): Promise<ClassifyTaskResult> {
    const rgb = new Uint8Array(input.rgb);
    return this.run<ClassifyTaskResult>('classify', { ...input, rgb, backbone: await this.backbone() }, [rgb.buffer as ArrayBuffer]);
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

  /** Asked once per process (a thread loads the backbone on its first task and keeps it). */
  private backbone(): Promise<BackboneSource> {
    if (!this.backboneSource) return Promise.resolve({ kind: 'directory', dir: this.config.compute.backboneOnnxDir });
    // A source that fails leaves the backbone to tfjs, never classification down (the source logs why).
    this.backboneSourced ??= this.backboneSource().catch((): BackboneSource => ({ kind: 'unavailable', reason: 'artefact_unavailable' }));
    return this.backboneSourced;
  }

  private run<T>(name: string, task: unknown, transferList: ArrayBuffer[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The compute threads are shut down'));
    const result = this.getPool().run(task, { name, transferList }) as Promise<T>;
    // From submission: a task that waits for a busy thread is slow for its caller too.
    const timed = this.metrics?.computeTask.startTimer({ task: name });
    if (timed) result.then(() => timed({ result: 'ok' }), () => timed({ result: 'error' }));
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
        workerData: { tfjsBackend: this.config.compute.tfjsBackend, backboneRuntime: this.config.compute.backboneRuntime } satisfies ComputeWorkerData,
      });
      this.pool.on('message', (message: BackboneStateMessage) => {
        if (message?.type === 'loupe.backbone-state') this.backboneStates.set(message.threadId, message.state);
      });
    }
    return this.pool;
  }
}
