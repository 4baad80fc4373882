import { Injectable, Logger, Optional } from '@nestjs/common';
import { ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { DatabaseConnection } from '@loupe/database';
import { VideoSupport, VideoTools } from '@loupe/media';
import { JobQueue } from '@loupe/queue';

export type StoreState = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'degraded';
  mode: string;
  database: { kind: string; state: StoreState };
  queue: { kind: string; state: StoreState };
  /** Whether ffmpeg and ffprobe were found at start-up; without them only images are accepted. */
  video: VideoSupport;
  /**
   * What this process serves the backbone on, and the code of why it fell
   * back to tfjs; null in a process that classifies nothing (the api of a
   * split deployment). A fallback still serves: it does not make `status` degraded.
   */
  backbone: { runtime: 'onnxruntime' | 'tfjs'; requested: 'onnxruntime' | 'tfjs'; fallback: boolean; reason: string | null } | null;
}

/** A probe that has not answered by then counts as down: /health itself must always answer. */
const PROBE_TIMEOUT_MS = 3_000;

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);
  private readonly lastState = new Map<string, StoreState>();

  constructor(
    private readonly database: DatabaseConnection,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
    private readonly videoTools: VideoTools,
    @Optional() private readonly compute?: ComputePool,
  ) {}

  /**
   * The state of each store, never its error text: /health is open to anyone,
   * and a driver's message can name hosts, users and databases. The detail
   * goes to the log, once per change of state.
   */
  async check(): Promise<HealthReport> {
    const [database, queue] = await Promise.all([
      this.probe('database', () => this.database.ping()),
      this.probe('queue', () => this.jobs.pendingCount()),
    ]);
    return {
      status: database === 'up' && queue === 'up' ? 'ok' : 'degraded',
      mode: this.config.process.mode,
      database: { kind: this.database.kind, state: database },
      queue: { kind: this.config.queue.kind, state: queue },
      video: this.videoTools.support,
      backbone: this.backbone(),
    };
  }

  private backbone(): HealthReport['backbone'] {
    if (!this.compute || !this.config.runsJobs) return null;
    const { runtime, requested, fallbackReason } = this.compute.backboneStatus();
    return { runtime, requested, fallback: fallbackReason !== null, reason: fallbackReason };
  }

  private async probe(store: string, ping: () => Promise<unknown>): Promise<StoreState> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    let state: StoreState = 'up';
    try {
      await Promise.race([ping(), deadline]);
    } catch (error) {
      state = 'down';
      if (this.lastState.get(store) !== 'down') this.logger.error(`Health: the ${store} is down: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (state === 'up' && this.lastState.get(store) === 'down') this.logger.log(`Health: the ${store} is back up`);
    this.lastState.set(store, state);
    return state;
  }
}
