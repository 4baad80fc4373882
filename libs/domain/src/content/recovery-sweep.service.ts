import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { QUEUE_TIMEOUT_MS } from '@loupe/queue';
import { BankImportRecoveryService } from '../matching/bank-import-recovery.service';
import { ContentRecoveryService } from './content-recovery.service';

/**
 * Runs the recovery sweeps in every process that runs jobs: at start-up and
 * then every RECOVERY_SWEEP_SECONDS, so work stranded by an outage finishes
 * without restarting anything. A sweep that fails (a store is still down) is
 * logged and tried again at the next tick.
 */
@Injectable()
export class RecoverySweepService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RecoverySweepService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** Failing sweeps in a row: an outage is logged when it starts and when it ends, not every tick. */
  private failures = 0;

  constructor(
    private readonly contents: ContentRecoveryService,
    private readonly imports: BankImportRecoveryService,
    private readonly config: LoupeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!['all', 'worker'].includes(this.config.process.mode)) return;
    // An in-process queue starts empty and nothing has been accepted yet, so
    // at boot every unfinished item is stranded, however recently it changed.
    const inProcess = this.config.queue.kind === 'in-process';
    this.tick(inProcess ? new Date() : undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Items unchanged for this long count as stale: long enough that an upload
   * between writing its row and adding its job (at most QUEUE_TIMEOUT_MS) is
   * never taken for stranded, and one re-queue is looked at once per interval.
   */
  private get staleAfterMs(): number {
    return Math.max(this.config.recovery.sweepMs, 3 * QUEUE_TIMEOUT_MS);
  }

  private tick(staleBefore?: Date): void {
    if (this.stopped) return;
    this.running = this.sweep(staleBefore ?? new Date(Date.now() - this.staleAfterMs)).finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.tick(), this.config.recovery.sweepMs);
      this.timer.unref();
    });
  }

  private async sweep(staleBefore: Date): Promise<void> {
    try {
      await this.contents.sweep(staleBefore);
      await this.imports.sweep(staleBefore);
      if (this.failures > 0) this.logger.log(`Recovery sweep works again after ${this.failures} failed sweeps`);
      this.failures = 0;
    } catch (error) {
      if (this.failures === 0) {
        this.logger.warn(`Recovery sweep failed; retrying every ${this.config.recovery.sweepMs} ms: ${(error as Error).message}`);
      }
      this.failures += 1;
    }
  }
}
