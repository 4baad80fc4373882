import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { DatabaseConnection } from '@loupe/database';
import { VideoSupport, VideoTools } from '@loupe/media';
import { JobQueue } from '@loupe/queue';

export interface HealthReport {
  status: 'ok';
  mode: string;
  database: string;
  queue: string;
  /** Whether ffmpeg and ffprobe were found at start-up; without them only images are accepted. */
  video: VideoSupport;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseConnection,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
    private readonly videoTools: VideoTools,
  ) {}

  /** Answers only when the stores answer: a load balancer should stop sending traffic otherwise. */
  async check(): Promise<HealthReport> {
    try {
      await this.database.ping();
      await this.jobs.pendingCount();
    } catch (error) {
      throw new ApiError(503, 'health.unavailable', `A store is unreachable: ${(error as Error).message}`);
    }
    return { status: 'ok', mode: this.config.process.mode, database: this.database.kind, queue: this.config.queue.kind, video: this.videoTools.support };
  }
}
