import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ApiError, PeriodicTask } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { TrainingLabelRepository, TrainingRunRepository } from '@loupe/database';
import { JobQueue } from '@loupe/queue';
import { TrainingRunService } from './training-run.service';

/** The schedules' fixed ids: every process that runs jobs sets the same two, so a cluster on Redis has one of each. */
export const TRAINING_SCHEDULE_ID = 'training-schedule';
export const NEW_LABELS_CHECK_ID = 'training-new-labels';
/** How often a process sets its schedules again: a Redis that restarted without its data has them back within this. */
export const SCHEDULES_REFRESH_MS = 60_000;

/**
 * Training that starts on its own: on TRAINING_CRON's schedule, and when
 * TRAINING_NEW_LABELS labels have arrived since the last run. Both are
 * schedules of the queue (BullMQ job schedulers on Redis, timers in the
 * in-process queue): `learning.scheduled-train` at the cron times and
 * `learning.check-new-labels` every TRAINING_CHECK_SECONDS, one job per fire
 * for the whole cluster. Their handlers call this service. The database stays
 * the last word on who starts a run: one run at a time, and one scheduled run
 * per minute of the schedule.
 */
@Injectable()
export class TrainingScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TrainingScheduler.name);
  private readonly task: PeriodicTask;
  /** Checks failed in a row, so an outage is logged when it starts and when it ends. */
  private checkFailures = 0;

  constructor(
    private readonly runs: TrainingRunRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly training: TrainingRunService,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {
    this.task = new PeriodicTask('Training schedules', SCHEDULES_REFRESH_MS, () => this.applySchedules(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.runsJobs) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /**
   * Sets both schedules from the configuration, or removes the ones it turns
   * off (a schedule on Redis outlives the process that set it). Setting an
   * unchanged schedule again changes nothing.
   */
  async applySchedules(): Promise<void> {
    const { cron, checkMs, newLabelsTrigger } = this.config.learning;
    if (cron) await this.jobs.schedule(TRAINING_SCHEDULE_ID, 'learning.scheduled-train', {}, { cron });
    else await this.jobs.unschedule(TRAINING_SCHEDULE_ID);
    if (newLabelsTrigger > 0) await this.jobs.schedule(NEW_LABELS_CHECK_ID, 'learning.check-new-labels', {}, { everyMs: checkMs });
    else await this.jobs.unschedule(NEW_LABELS_CHECK_ID);
  }

  /** A fire of TRAINING_CRON: asks for a run, unless one was already asked for in this minute. */
  async onSchedule(now = new Date()): Promise<void> {
    // BullMQ makes one job per fire for the whole cluster, but two all-in-one processes on one
    // PostgreSQL database without Redis each fire their own timer: the first one's run counts.
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const last = await this.runs.lastCreatedAt('schedule');
    if (last && last >= minute) return;
    await this.start('schedule', `TRAINING_CRON ${this.config.learning.cron}`);
  }

  /** A fire of TRAINING_CHECK_SECONDS: asks for a run when TRAINING_NEW_LABELS labels have arrived since the last run. */
  async checkNewLabels(): Promise<void> {
    const threshold = this.config.learning.newLabelsTrigger;
    if (threshold <= 0) return;
    try {
      const since = await this.runs.lastCreatedAt();
      const fresh = await this.labels.count({ from: since ?? undefined });
      if (fresh >= threshold) await this.start('new_labels', `${fresh} labels since the last run`);
    } catch (error) {
      // Not retried and not failed: the next check is the retry, and an outage would otherwise log
      // a failed job at every check. It is logged when it starts and when it ends, as the sweeps do.
      if (this.checkFailures === 0) {
        this.logger.warn(`Checking for new labels failed; checking again every ${this.config.learning.checkMs} ms: ${(error as Error).message}`);
      }
      this.checkFailures += 1;
      return;
    }
    if (this.checkFailures > 0) this.logger.log(`Checking for new labels works again after ${this.checkFailures} failed checks`);
    this.checkFailures = 0;
  }

  private async start(trigger: 'schedule' | 'new_labels', why: string): Promise<void> {
    try {
      const run = await this.training.request({}, null, trigger);
      this.logger.log(`Started training run ${run.id}: ${why}`);
    } catch (error) {
      // A run is under way (here or in another process): this trigger is spent on it.
      if (error instanceof ApiError && error.code === 'training.already_running') return;
      throw error;
    }
  }
}
