import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@loupe/common';
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
  private readonly task: PeriodicTask;
  /** The first pass's cut-off, when it differs from the usual one. */
  private firstStaleBefore?: Date;

  constructor(
    private readonly contents: ContentRecoveryService,
    private readonly imports: BankImportRecoveryService,
    private readonly config: LoupeConfig,
  ) {
    this.task = new PeriodicTask('Recovery sweep', config.recovery.sweepMs, () => this.sweep(), new Logger(RecoverySweepService.name));
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsJobs) return;
    // An in-process queue starts empty and nothing has been accepted yet, so
    // at boot every unfinished item is stranded, however recently it changed.
    if (this.config.queue.kind === 'in-process') this.firstStaleBefore = new Date();
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /**
   * Items unchanged for this long count as stale: long enough that an upload
   * between writing its row and adding its job (at most QUEUE_TIMEOUT_MS) is
   * never taken for stranded, and one re-queue is looked at once per interval.
   */
  private get staleAfterMs(): number {
    return Math.max(this.config.recovery.sweepMs, 3 * QUEUE_TIMEOUT_MS);
  }

  private async sweep(): Promise<void> {
    const staleBefore = this.firstStaleBefore ?? new Date(Date.now() - this.staleAfterMs);
    this.firstStaleBefore = undefined;
    await this.contents.sweep(staleBefore);
    await this.imports.sweep(staleBefore);
  }
}
