import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { ComputePool, PrepareBackboneTaskResult } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import type { ModelRegistryRepository, ModelVersionInsert, ModelVersionRow, TransactionManager } from '@loupe/database';
import { backboneId, BackboneLineage, LAYERS_TO_ONNX_VERSION, sha256Of } from '@loupe/ml';
import type { AuditService } from '../../audit/audit.service';
import { BackboneArtefactService } from './backbone-artefact.service';
import { ModelArtefacts } from './model-artefacts';

/** A registry in memory: versions added under the name's lock, which here is a no-op (one process). */
class FakeRegistry {
  rows: ModelVersionRow[] = [];
  /** Runs when the lock is taken: another process registering meanwhile. */
  onLock: (() => void) | null = null;
  async listVersions(name: string) {
    return this.rows.filter((r) => r.modelName === name).sort((a, b) => b.version - a.version);
  }
  async lockName() {
    this.onLock?.();
  }
  async addVersion(values: ModelVersionInsert) {
    const row = { ...values, id: `id-${this.rows.length + 1}`, version: this.rows.filter((r) => r.modelName === values.modelName).length + 1, createdAt: new Date() } as ModelVersionRow;
    this.rows.push(row);
    return row;
  }
}

function lineageOf(bytes: Uint8Array): BackboneLineage {
  return {
    backbone: backboneId(),
    source: { package: 'nsfwjs', version: backboneId().split('@')[1], architecture: 'MobileNetV2', format: 'tfjs-layers' },
    exporter: { id: 'layers-to-onnx', version: LAYERS_TO_ONNX_VERSION },
    sha256: sha256Of(bytes),
    bytes: bytes.length,
    input: { name: 'pixels', type: 'float32', shape: ['N', 224, 224, 3], layout: 'nhwc', scale: 'byte / 255' },
    outputs: [{ name: 'probabilities', type: 'float32', shape: ['N', 5], meaning: 'softmax' }],
    parity: null,
  };
}

describe('BackboneArtefactService', () => {
  let dir: string;
  let registry: FakeRegistry;
  let artefacts: ModelArtefacts;
  let prepared: PrepareBackboneTaskResult;
  let prepares: number;
  let audits: string[];
  let service: BackboneArtefactService;

  // What it logs is for operators; the assertions here are on what it returns and stores.
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'loupe-backbone-artefact-'));
    const config = LoupeConfig.fromEnv({ DATA_DIR: dir, MODELS_DIR: path.join(dir, 'models') });
    registry = new FakeRegistry();
    artefacts = new ModelArtefacts(config);
    const bytes = Buffer.from('the backbone graph');
    prepared = { bytes, lineage: lineageOf(bytes), exported: true };
    prepares = 0;
    audits = [];
    const pool = { prepareBackbone: async () => (prepares++, prepared), serveBackboneFrom: () => undefined } as unknown as ComputePool;
    const transactions = { run: (work: () => Promise<unknown>) => work(), afterCommit: (callback: () => void) => callback() } as unknown as TransactionManager;
    const audit = { record: async (_: unknown, action: string) => void audits.push(action) } as unknown as AuditService;
    service = new BackboneArtefactService(registry as unknown as ModelRegistryRepository, artefacts, pool, transactions, audit, config);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('registers the graph once, content-addressed, with its lineage, and points the threads at it', async () => {
    const source = await service.source();
    const sha256 = prepared.lineage.sha256;
    expect(source).toEqual({ kind: 'artefact', sha256, path: artefacts.path(sha256) });
    expect(Buffer.from(await artefacts.get(sha256)).equals(prepared.bytes)).toBe(true);
    expect(registry.rows).toEqual([expect.objectContaining({ modelName: 'backbone', version: 1, source: 'exported', artefactSha256: sha256, policies: [], card: expect.objectContaining({ lineage: prepared.lineage }) })]);
    expect(audits).toEqual(['model.version.register']);

    // A second process (or a restart) finds it: no export, no second version.
    expect(await service.source()).toEqual(source);
    expect(prepares).toBe(1);
    expect(registry.rows).toHaveLength(1);
  });

  it('takes the version another process registered while this one exported', async () => {
    const theirs = Buffer.from('their backbone graph');
    registry.onLock = () => {
      registry.onLock = null;
      void registry.addVersion({ ...registryValues(theirs) });
    };
    const source = await service.source();
    expect(registry.rows).toHaveLength(1);
    expect(source).toMatchObject({ kind: 'artefact', sha256: sha256Of(theirs) });
    expect(audits).toEqual([]);
  });

  it('puts back a missing file when the same bytes can be made, and not otherwise', async () => {
    await service.source();
    const sha256 = prepared.lineage.sha256;
    await rm(artefacts.path(sha256));
    await service.source();
    expect(Buffer.from(await artefacts.get(sha256)).equals(prepared.bytes)).toBe(true);

    await rm(artefacts.path(sha256));
    const other = Buffer.from('a graph exported differently');
    prepared = { bytes: other, lineage: lineageOf(other), exported: true };
    // The threads are still pointed at the registered graph: they find it missing and serve tfjs.
    expect(await service.source()).toEqual({ kind: 'artefact', sha256, path: artefacts.path(sha256) });
    await expect(artefacts.get(sha256)).rejects.toThrow(/ENOENT/);
    expect(registry.rows).toHaveLength(1);
  });

  it('leaves the file it finds changed on disk for the threads to refuse', async () => {
    const sha256 = prepared.lineage.sha256;
    await mkdir(path.dirname(artefacts.path(sha256)), { recursive: true });
    // Same size, other bytes: a content-addressed file is never rewritten.
    await writeFile(artefacts.path(sha256), Buffer.from('THE BACKBONE GRAPH'));
    expect(await service.source()).toEqual({ kind: 'artefact', sha256, path: artefacts.path(sha256) });
    await expect(artefacts.get(sha256)).rejects.toThrow(/does not match its hash/);
  });

  it('says the graph is unavailable when it cannot be made or registered', async () => {
    registry.listVersions = async () => {
      throw new Error('the database is down');
    };
    expect(await service.source()).toEqual({ kind: 'unavailable', reason: 'artefact_unavailable' });
  });
});

function registryValues(bytes: Uint8Array): ModelVersionInsert {
  const { backboneVersionValues } = jest.requireActual('./backbone-version') as typeof import('./backbone-version');
  return backboneVersionValues(lineageOf(bytes), { sha256: sha256Of(bytes), bytes: bytes.length }, null);
}
