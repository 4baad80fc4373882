import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ModelRegistryRepository, ReachRepository, RetroHuntRepository } from '@loupe/database';
import { JobQueue, QUEUE_TIMEOUT_MS } from '@loupe/queue';
import { MissesRollupService } from './misses/misses-rollup.service';
import { RetroHuntService } from './retro-hunt/retro-hunt.service';

/**
 * The analysis side's sweep, every RECOVERY_SWEEP_SECONDS in processes that
 * run jobs. It starts retro-hunts when a bank gained entries or a model was
 * promoted (read from the database, so an entry added by any process, an
 * import or a moderator's removal, is seen, and a crash loses nothing). A
 * bank is hunted again only RETRO_HUNT_BANK_INTERVAL_SECONDS after its last
 * hunt, with every entry added meanwhile: a hunt reads the whole window of
 * allowed content, and where moderators remove something every minute,
 * hunts back to back took a core beside ingest (1,392 s of a simulated day
 * of 42 minutes). The sweep also re-queues virality re-checks whose job was
 * lost, and keeps the missed-violations rollup current, so a report has
 * little to fold in.
 */
@Injectable()
export class AnalysisSweepService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly hunts: RetroHuntRepository,
    private readonly huntService: RetroHuntService,
    private readonly registry: ModelRegistryRepository,
    private readonly reach: ReachRepository,
    private readonly missesRollup: MissesRollupService,
    private readonly jobs: JobQueue,
    private readonly config: LoupeConfig,
  ) {
    this.task = new PeriodicTask('Analysis sweep', config.recovery.sweepMs, () => this.sweep(), new Logger(AnalysisSweepService.name));
  }

  onApplicationBootstrap(): void {
    if (this.config.runsJobs) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweep(): Promise<void> {
    if (this.config.analysis.retroHuntOnBankChange) {
      const banks = await this.hunts.banksWithNewEntries(this.config.analysis.retroHuntBankIntervalMs);
      for (const { bankId, since } of banks) await this.huntService.start({ bankId }, null, since);
    }
    if (this.config.analysis.retroHuntOnPromotion) {
      const promoted = new Set<string>();
      for (const { versionId } of await this.hunts.promotionsSinceLastHunt()) {
        const version = await this.registry.findVersionById(versionId);
        if (version) promoted.add(version.modelName);
      }
      for (const modelName of promoted) await this.huntService.start({ modelName }, null);
    }
    // Longer than an enqueue can take, so a crossing whose job is on its way is not sent twice.
    const stale = Math.max(this.config.recovery.sweepMs, 3 * QUEUE_TIMEOUT_MS);
    for (const contentId of await this.reach.stranded(stale, 500)) {
      const tiers = await this.reach.uncheckedTiers(contentId);
      const tier = Math.max(...tiers.map((t) => t.tier));
      if (tiers.length > 0) await this.jobs.enqueue('analysis.virality-recheck', { contentId, tier });
    }
    await this.missesRollup.refresh();
  }
}
