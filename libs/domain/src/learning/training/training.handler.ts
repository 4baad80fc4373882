import { Logger } from '@nestjs/common';
import { TrainingCancelledError, trainInThread } from '@loupe/compute';
import { ModelRegistryRepository, TrainingRunInsert, TrainingRunRepository, TrainingRunRow, TransactionManager } from '@loupe/database';
import { headsToOnnx, HeadTrainingResult } from '@loupe/ml';
import { JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import type { TrainingProgress } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { DatasetService } from '../datasets/dataset.service';
import { featureNames, FeatureStore } from '../features/feature-store.service';
import { ModelArtefacts } from '../registry/model-artefacts';
import { CandidateEvaluator, CandidateJudgement } from './candidate-evaluator.service';
import { modelCard } from './model-card';
import { choosePolicies, FeaturedRow, headTrainingData, trainingCounts } from './training-data';
import { effectiveParams, type TrainingParams } from './training-params';
import { createRun } from './training-run.service';

/** A run that cannot succeed with its data: it fails at once, with the reason, and is not retried. */
class RunFailure extends PermanentJobError {
  constructor(message: string) {
    super('training.failed', message);
  }
}

/**
 * One training run, start to end: the dataset (given, or snapshotted now),
 * features for its rows (embeddings computed for items that predate them),
 * heads trained in a thread of their own, the candidate's ONNX graph,
 * its evaluation beside the champion and its gates, and a new version in
 * the registry. Progress goes to the run's row as it goes; a cancellation
 * is noticed between mini-batches and between stages.
 */
@JobHandlerFor('learning.train')
export class TrainingHandler implements JobHandler<'learning.train'> {
  private readonly logger = new Logger(TrainingHandler.name);
  /** Who watches a run in this process (the command line's progress bar). */
  private readonly listeners = new Map<string, (progress: TrainingProgress) => void>();

  constructor(
    private readonly runs: TrainingRunRepository,
    private readonly datasets: DatasetService,
    private readonly features: FeatureStore,
    private readonly evaluator: CandidateEvaluator,
    private readonly artefacts: ModelArtefacts,
    private readonly registry: ModelRegistryRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async handle({ runId }: JobPayload<'learning.train'>): Promise<void> {
    const run = await this.runs.start(runId);
    if (!run) return;
    const params = run.params as unknown as TrainingParams;
    const progress = (value: TrainingProgress) => {
      this.listeners.get(runId)?.(value);
      return this.runs.setProgress(runId, value);
    };
    try {
      const datasetId = run.datasetId ?? (await this.snapshot(run, progress));
      const { rows, backbone } = await this.featured(datasetId, progress, runId);
      const { policies, leftOut } = choosePolicies(trainingCounts(rows), params.minLabelsPerClass);
      if (policies.length === 0) {
        throw new RunFailure(
          `Too few labels: a policy needs ${params.minLabelsPerClass} violating and ${params.minLabelsPerClass} not violating labels in the training split for a head. ${leftOut.join('; ') || 'The dataset has no training rows'}.`,
        );
      }
      const names = featureNames(backbone!);
      const started = Date.now();
      const data = headTrainingData(rows, policies, names.imageFeatures, names.textFeatures);
      const used = effectiveParams(params, data.image.length);
      const trained = await trainInThread(data, used, {
        onEpoch: (e) => void progress({ stage: 'training', epoch: e.epoch, epochs: e.epochs, loss: e.loss, validationLoss: e.validationLoss ?? undefined, samplesPerSecond: Math.round(e.samplesPerSecond) }),
        shouldStop: () => this.runs.cancelRequested(runId),
      });
      const trainingSeconds = (Date.now() - started) / 1000;
      await this.stopIfCancelled(runId);
      await progress({ stage: 'evaluating' });
      const graph = headsToOnnx(trained.head, { modelName: params.modelName, trainingRun: runId, dataset: datasetId });
      // Stored before it is judged: evaluation runs the stored graph as serving would (a rejected one costs a file, not a version).
      const stored = await this.artefacts.put(graph);
      const judgement = await this.evaluator.judge(rows, stored.sha256, policies, used);
      await this.stopIfCancelled(runId);
      await progress({ stage: 'saving' });
      const versionId = await this.save(run, used, datasetId, stored, trained, judgement, { policies, leftOut, trainingSeconds, rows: rows.length });
      const ended = await this.runs.finish(runId, 'succeeded', { modelVersionId: versionId, message: leftOut.length > 0 ? `No head (too few labels): ${leftOut.join('; ')}` : null });
      if (ended) this.logger.log(`Training run ${runId} made a new version of ${params.modelName} (gates ${judgement.gates.passed ? 'passed' : 'failed'})`);
    } catch (error) {
      if (error instanceof TrainingCancelledError || error instanceof CancelledRun) {
        await this.runs.finish(runId, 'cancelled', { message: 'Cancelled' });
        return;
      }
      throw error;
    }
  }

  async onFailed({ runId }: JobPayload<'learning.train'>, error: Error): Promise<void> {
    await this.runs.finish(runId, 'failed', { message: error.message });
  }

  /** A run in this process, without the queue (the command line); the same steps, and the same one-at-a-time rule. */
  async runHere(values: TrainingRunInsert, onProgress?: (progress: TrainingProgress) => void): Promise<TrainingRunRow> {
    const run = await createRun(this.runs, this.audit, this.transactions, values, null);
    if (onProgress) this.listeners.set(run.id, onProgress);
    try {
      await this.handle({ runId: run.id });
    } catch (error) {
      await this.onFailed({ runId: run.id }, error as Error);
    } finally {
      this.listeners.delete(run.id);
    }
    return (await this.runs.findById(run.id))!;
  }

  private async snapshot(run: TrainingRunRow, progress: (p: TrainingProgress) => Promise<void>): Promise<string> {
    await progress({ stage: 'dataset' });
    const dataset = await this.datasets.create({ name: `training-run-${run.id.slice(0, 8)}`, filter: run.datasetFilter ?? {} }, null, (p) => {
      void progress({ stage: 'dataset', done: p.done, total: p.total });
    });
    await this.runs.setDataset(run.id, dataset.id);
    return dataset.id;
  }

  /** The dataset's rows with their features, reporting progress and noticing a cancellation as it goes. */
  private async featured(datasetId: string, progress: (p: TrainingProgress) => Promise<void>, runId: string): Promise<{ rows: FeaturedRow[]; backbone: string | null }> {
    await this.datasets.get(datasetId);
    return this.features.featuredRows(datasetId, async (done, total) => {
      if (done % 50 === 0 || done === total) {
        await progress({ stage: 'features', done, total });
        await this.stopIfCancelled(runId);
      }
    });
  }

  private async stopIfCancelled(runId: string): Promise<void> {
    if (await this.runs.cancelRequested(runId)) throw new CancelledRun();
  }

  private async save(
    run: TrainingRunRow,
    params: TrainingParams,
    datasetId: string,
    stored: { sha256: string; bytes: number },
    trained: HeadTrainingResult,
    judgement: CandidateJudgement,
    facts: { policies: string[]; leftOut: string[]; trainingSeconds: number; rows: number },
  ): Promise<string> {
    const { head } = trained;
    return this.transactions.run(async () => {
      const version = await this.registry.addVersion({
        modelName: params.modelName,
        source: 'trained',
        artefactSha256: stored.sha256,
        artefactBytes: stored.bytes,
        signature: { inputs: ['embedding', 'text'], imageFeatures: head.imageFeatures, imageDim: head.imageDim, textFeatures: head.textFeatures, textDim: head.textDim, outputs: head.policies },
        policies: head.policies,
        thresholds: judgement.thresholds,
        evaluation: judgement.report as unknown as Record<string, unknown>,
        gates: judgement.gates as unknown as Record<string, unknown>,
        gatesPassed: judgement.gates.passed,
        card: modelCard({ params, datasetId, trained, judgement, ...facts, codeVersion: run.codeVersion }),
        datasetId,
        trainingRunId: run.id,
        parentVersionId: (await this.registry.latestVersion(params.modelName))?.id ?? null,
        createdBy: run.requestedBy,
      });
      await this.audit.record(null, 'model.version.create', { type: 'model', id: params.modelName }, { version: version.version, trainingRun: run.id, gatesPassed: judgement.gates.passed });
      return version.id;
    });
  }
}

class CancelledRun extends Error {}
