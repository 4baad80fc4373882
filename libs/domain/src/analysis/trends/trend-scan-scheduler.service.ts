import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { JobQueue } from '@loupe/queue';

/** The schedule's fixed id: every process that runs jobs sets the same one, so a cluster on Redis scans once per fire. */
export const TREND_SCAN_SCHEDULE_ID = 'trend-scan';
/** How often a process sets the schedule again (a Redis that restarted empty has it back within this). */
const SCHEDULE_REFRESH_MS = 60_000;

/** Sets the hourly trend scan (TREND_SCAN_CRON) as a schedule of the queue, or removes it when turned off. */
@Injectable()
export class TrendScanSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TrendScanSchedulerService.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {
    this.task = new PeriodicTask('Trend scan schedule', SCHEDULE_REFRESH_MS, () => this.applySchedule(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.runsJobs) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  async applySchedule(): Promise<void> {
    const cron = this.config.trends.scanCron;
    if (cron) await this.jobs.schedule(TREND_SCAN_SCHEDULE_ID, 'analysis.scan-trends', {}, { cron });
    else await this.jobs.unschedule(TREND_SCAN_SCHEDULE_ID);
  }
}
