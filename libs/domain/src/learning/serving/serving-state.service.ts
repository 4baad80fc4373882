import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { EMPTY_SERVING_STATE, ModelRegistryRepository } from '@loupe/database';
import type { ServingState } from '@loupe/vocabulary';
import { ModelArtefacts } from '../registry/model-artefacts';
import { planHeads, PlannedHead, ServableVersion } from './serving-plan';

export interface ServingSnapshot {
  seq: number;
  state: ServingState;
  versions: ReadonlyMap<string, ServableVersion>;
}

/**
 * What this process serves: the latest row of the deployment history,
 * checked every MODEL_POLL_MS, so a promotion or rollback made through any
 * api process reaches every worker within seconds, without a restart. A
 * classification in flight keeps the snapshot it started with.
 */
@Injectable()
export class ServingStateService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ServingStateService.name);
  private readonly task: PeriodicTask;
  private snapshot: ServingSnapshot = { seq: 0, state: EMPTY_SERVING_STATE, versions: new Map() };
  private loaded?: Promise<void>;

  constructor(
    private readonly registry: ModelRegistryRepository,
    private readonly artefacts: ModelArtefacts,
    private readonly config: LoupeConfig,
  ) {
    this.task = new PeriodicTask('Model serving state', config.learning.modelPollMs, () => this.refresh(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.runsJobs) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** The state now: loaded once on first use, then kept fresh by the poll. */
  async current(): Promise<ServingSnapshot> {
    this.loaded ??= this.refresh().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    await this.loaded;
    return this.snapshot;
  }

  /** The heads to run on an item, with where each graph is. */
  async plan(contentId: string): Promise<(PlannedHead & { path: string })[]> {
    const { state, versions } = await this.current();
    return planHeads(state, versions, contentId).map((head) => ({ ...head, path: this.artefacts.path(head.version.artefactSha256) }));
  }

  /** Reads the latest change when there is a newer one than this process has. */
  async refresh(): Promise<void> {
    const seq = await this.registry.latestDeploymentSeq();
    if (seq === this.snapshot.seq) return;
    const row = await this.registry.deploymentAt();
    if (!row) return;
    const ids = new Set([...Object.values(row.state.policies), ...Object.values(row.state.experiments)].map((v) => v.versionId));
    const versions = new Map<string, ServableVersion>();
    for (const id of ids) {
      const version = await this.registry.findVersionById(id);
      if (version) {
        versions.set(id, { modelName: version.modelName, versionId: id, version: version.version, artefactSha256: version.artefactSha256, policies: version.policies });
      }
    }
    if (row.seq !== this.snapshot.seq) this.logger.log(`Serving state ${row.seq}: ${row.action} of ${row.modelName}`);
    this.snapshot = { seq: row.seq, state: row.state, versions };
  }
}
