import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository } from '@loupe/database';
import { JobQueue } from '@loupe/queue';

/**
 * Re-queues items whose pipeline never finished, e.g. after the embedded
 * process stopped with jobs in memory. The fixed job ids make this safe to
 * run in every worker process at once: a job that still exists is not added twice.
 */
@Injectable()
export class ContentRecoveryService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ContentRecoveryService.name);

  constructor(
    private readonly contents: ContentRepository,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!['all', 'worker'].includes(this.config.process.mode)) return;
    const unfinished = await this.contents.findUnfinished(new Date(), 10_000);
    for (const content of unfinished) {
      await this.jobs.enqueue('content.process-media', { contentId: content.id });
    }
    if (unfinished.length > 0) this.logger.log(`Re-queued ${unfinished.length} unfinished content items`);
  }
}
