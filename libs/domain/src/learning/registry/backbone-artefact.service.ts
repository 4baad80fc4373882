import { stat } from 'node:fs/promises';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { ModelRegistryRepository, ModelVersionRow, TransactionManager } from '@loupe/database';
import { backboneId, BackboneSource, LAYERS_TO_ONNX_VERSION } from '@loupe/ml';
import { AuditService } from '../../audit/audit.service';
import { BACKBONE_MODEL_NAME, backboneVersionValues, servedBackbone } from './backbone-version';
import { ModelArtefacts } from './model-artefacts';

/**
 * The backbone's exported graph as a registry artefact. The compute threads
 * serve the graph the registry names: this service finds the version made
 * from this backbone by this exporter, or, the first time, has a compute
 * thread make the graph (kept in BACKBONE_ONNX_DIR, or exported from tfjs),
 * stores it content-addressed under MODELS_DIR and registers it with its
 * lineage, once across processes (a lock on the model's name, and a second
 * look under it). Each thread checks the file against the registered
 * sha256 before it loads it. Whatever fails here, the backbone serves on
 * tfjs and the process says so: a missing registry never stops
 * classification.
 */
@Injectable()
export class BackboneArtefactService implements OnModuleInit {
  private readonly logger = new Logger(BackboneArtefactService.name);

  constructor(
    private readonly registry: ModelRegistryRepository,
    private readonly artefacts: ModelArtefacts,
    private readonly pool: ComputePool,
    private readonly transactions: TransactionManager,
    private readonly audit: AuditService,
    private readonly config: LoupeConfig,
  ) {}

  /** The pool asks on its first classification (so an api-only process never exports or loads anything). */
  onModuleInit(): void {
    if (this.config.compute.backboneRuntime === 'onnxruntime') this.pool.serveBackboneFrom(() => this.source());
  }

  /** Where the threads find the graph, or why there is none (logged plainly: the threads serve tfjs). */
  async source(): Promise<BackboneSource> {
    try {
      const version = await this.registered();
      const path = this.artefacts.path(version.artefactSha256);
      if (!(await exists(path))) {
        this.logger.error(`The backbone's graph (${BACKBONE_MODEL_NAME} version ${version.version}, sha256 ${version.artefactSha256}) is missing from ${path}; the backbone serves on tfjs`);
      }
      return { kind: 'artefact', sha256: version.artefactSha256, path };
    } catch (error) {
      this.logger.error(`The backbone's graph could not be made or registered (${(error as Error).message}); the backbone serves on tfjs`);
      return { kind: 'unavailable', reason: 'artefact_unavailable' };
    }
  }

  /** The version that serves, registered now if none is; a registered graph whose file is gone is put back when the same bytes can be made. */
  async registered(): Promise<ModelVersionRow> {
    const found = servedBackbone(await this.registry.listVersions(BACKBONE_MODEL_NAME), backboneId(), LAYERS_TO_ONNX_VERSION);
    if (found) {
      if (!(await exists(this.artefacts.path(found.artefactSha256)))) await this.restore(found);
      return found;
    }
    const graph = await this.pool.prepareBackbone(this.config.compute.backboneOnnxDir);
    const stored = await this.artefacts.put(graph.bytes);
    return this.transactions.run(async () => {
      await this.registry.lockName(BACKBONE_MODEL_NAME);
      // Another process may have registered it while this one exported.
      const versions = await this.registry.listVersions(BACKBONE_MODEL_NAME);
      const registered = servedBackbone(versions, backboneId(), LAYERS_TO_ONNX_VERSION);
      if (registered) return registered;
      const row = await this.registry.addVersion(backboneVersionValues(graph.lineage, stored, versions[0]?.id ?? null));
      await this.audit.record(null, 'model.version.register', { type: 'model', id: BACKBONE_MODEL_NAME }, { version: row.version, sha256: row.artefactSha256, backbone: graph.lineage.backbone, exporter: graph.lineage.exporter });
      this.transactions.afterCommit(() =>
        this.logger.log(`Registered the backbone's graph as ${BACKBONE_MODEL_NAME} version ${row.version} (${graph.lineage.backbone}, layers-to-onnx ${LAYERS_TO_ONNX_VERSION}, sha256 ${row.artefactSha256}, ${graph.exported ? 'exported now' : 'kept in BACKBONE_ONNX_DIR'})`),
      );
      return row;
    });
  }

  /** Makes the graph again: the same bytes restore the file; other bytes are not what the registry vouches for, and are not served. */
  private async restore(version: ModelVersionRow): Promise<void> {
    const graph = await this.pool.prepareBackbone(this.config.compute.backboneOnnxDir);
    if (graph.lineage.sha256 !== version.artefactSha256) {
      this.logger.error(`The backbone's graph made now (sha256 ${graph.lineage.sha256}) is not the registered one (${version.artefactSha256}); not restoring it`);
      return;
    }
    await this.artefacts.put(graph.bytes);
    this.logger.warn(`The backbone's graph (${BACKBONE_MODEL_NAME} version ${version.version}) was missing from MODELS_DIR and is restored`);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
