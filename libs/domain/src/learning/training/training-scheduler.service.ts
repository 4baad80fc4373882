import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ApiError, parseCron, PeriodicTask } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { TrainingLabelRepository, TrainingRunRepository } from '@loupe/database';
import { TrainingRunService } from './training-run.service';

/**
 * Training that starts on its own: on TRAINING_CRON's schedule, and when
 * TRAINING_NEW_LABELS labels have arrived since the last run. Every process
 * that runs jobs checks every TRAINING_CHECK_SECONDS; the database decides
 * which of them starts the run (one run at a time, and one scheduled run per
 * minute of the schedule), so the same code serves the in-process queue and
 * any number of workers on Redis.
 */
@Injectable()
export class TrainingScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TrainingScheduler.name);
  private readonly task: PeriodicTask;
  private readonly schedule;

  constructor(
    private readonly runs: TrainingRunRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly training: TrainingRunService,
    private readonly config: LoupeConfig,
  ) {
    this.schedule = config.learning.cron ? parseCron(config.learning.cron) : null;
    this.task = new PeriodicTask('Training schedule', config.learning.checkMs, () => this.check(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.runsJobs && (this.schedule || this.config.learning.newLabelsTrigger > 0)) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  async check(now = new Date()): Promise<void> {
    if (this.schedule?.matches(now)) {
      const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
      const last = await this.runs.lastCreatedAt('schedule');
      if (!last || last < minute) await this.start('schedule', `TRAINING_CRON ${this.config.learning.cron}`);
    }
    const threshold = this.config.learning.newLabelsTrigger;
    if (threshold > 0) {
      const since = await this.runs.lastCreatedAt();
      const fresh = await this.labels.count({ from: since ?? undefined });
      if (fresh >= threshold) await this.start('new_labels', `${fresh} labels since the last run`);
    }
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
