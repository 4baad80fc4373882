import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { TrainingRunInsert, TrainingRunRepository, TrainingRunRow, TransactionManager } from '@loupe/database';
import { JobQueue } from '@loupe/queue';
import type { Principal, TrainingTrigger } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { DatasetService } from '../datasets/dataset.service';
import { newRun, TrainingRequest } from './training-params';

/**
 * Training runs as users see them: requested (on demand, on a schedule, or
 * by new labels), one at a time, queued as a job, watched and cancelled.
 * The work is TrainingHandler's.
 */
@Injectable()
export class TrainingRunService {
  private readonly logger = new Logger(TrainingRunService.name);

  constructor(
    private readonly runs: TrainingRunRepository,
    private readonly datasets: DatasetService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  async request(input: TrainingRequest, actor: Principal | null, trigger: TrainingTrigger): Promise<TrainingRunRow> {
    if (input.datasetId) await this.datasets.get(input.datasetId);
    const run = await createRun(this.runs, this.audit, this.transactions, newRun(input, this.config.learning.minLabelsPerClass, actor, trigger), actor);
    try {
      await this.jobs.enqueue('learning.train', { runId: run.id });
    } catch (error) {
      // Nothing sweeps queued runs: left queued, this one would block every later run. It ends
      // failed, and the caller hears why (the queue's own 503) and may ask again.
      this.logger.warn(`Could not queue training run ${run.id}: ${(error as Error).message}`);
      await this.runs.finish(run.id, 'failed', { message: `Could not be queued: ${(error as Error).message}` });
      throw error;
    }
    return run;
  }

  async get(id: string): Promise<TrainingRunRow> {
    const run = await this.runs.findById(id);
    if (!run) throw ApiError.notFound('training.run_not_found', `No training run ${id}`);
    return run;
  }

  list(limit = 50): Promise<TrainingRunRow[]> {
    return this.runs.list(limit);
  }

  /** A queued run is cancelled at once; a running one stops at its next step. */
  async cancel(id: string, actor: Principal): Promise<TrainingRunRow> {
    return this.transactions.run(async () => {
      const run = await this.get(id);
      const updated = await this.runs.requestCancel(id);
      if (!updated) throw ApiError.conflict('training.run_ended', `Training run ${id} has ended (${run.status})`);
      await this.audit.record(actor, 'training.cancel', { type: 'training_run', id });
      return updated;
    });
  }
}

/** Adds a queued run, audited; 409 with the active one when a run is queued or running. */
export async function createRun(
  runs: TrainingRunRepository,
  audit: AuditService,
  transactions: TransactionManager,
  values: TrainingRunInsert,
  actor: Principal | null,
): Promise<TrainingRunRow> {
  return transactions.run(async () => {
    const created = await runs.createIfIdle(values);
    if (!created) {
      const active = await runs.findActive();
      throw ApiError.conflict('training.already_running', `Training run ${active?.id ?? ''} is ${active?.status ?? 'active'}; one run at a time`, { run: active });
    }
    await audit.record(actor, 'training.request', { type: 'training_run', id: created.id }, { trigger: values.trigger, datasetId: values.datasetId ?? null, params: values.params });
    return created;
  });
}
