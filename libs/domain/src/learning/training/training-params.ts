import type { TrainingRunInsert } from '@loupe/database';
import { HEAD_TRAINING_DEFAULTS, type HeadTrainingOptions } from '@loupe/ml';
import type { DatasetFilter, Principal, TrainingTrigger } from '@loupe/vocabulary';
import { ApiError } from '@loupe/common';
import { Gate, validateGates } from '../evaluation/gates';
import { refuseReservedName } from '../registry/backbone-version';
import { codeVersion } from './code-version';

/** Hyper-parameters of a run (the trainer's, and the run's own); what is not given keeps its default, and the run records them all. */
export interface TrainingParams extends HeadTrainingOptions {
  /** The model the run adds a version to. */
  modelName: string;
  /** Labels of each class (violating, not) a policy needs for a head. */
  minLabelsPerClass: number;
  /** Targets of the proposed thresholds. */
  removePrecision: number;
  reviewRecall: number;
  /** The review and remove thresholds act on at most this share of the test split's not-violating items (the queue's budget); 1: none. */
  reviewMaxFalsePositiveRate: number;
  /** The remove threshold is never below this score (a model less than sure does not remove unseen). */
  minRemoveThreshold: number;
  /**
   * The promotion gates its version is checked against; absent: DEFAULT_GATES.
   * An ML engineer sets them per run as MLflow's validation thresholds are set
   * per evaluation: a small test split moves PR-AUC by a few hundredths on
   * one item, and a team decides how much of that it tolerates.
   */
  gates?: Gate[];
}

export const HEADS_MODEL = 'policy-heads';

export function defaultTrainingParams(minLabelsPerClass: number): TrainingParams {
  return { ...HEAD_TRAINING_DEFAULTS, modelName: HEADS_MODEL, minLabelsPerClass, removePrecision: 0.95, reviewRecall: 0.9, reviewMaxFalsePositiveRate: 0.02, minRemoveThreshold: 0.5 };
}

export interface TrainingRequest {
  /** Train on this dataset; when absent the run snapshots one from `filter` (all labels by default). */
  datasetId?: string;
  filter?: DatasetFilter;
  params?: Partial<TrainingParams>;
}

/** A new run's row: the request's parameters over the defaults, and which code runs it. */
export function newRun(input: TrainingRequest, minLabelsPerClass: number, actor: Principal | null, trigger: TrainingTrigger): TrainingRunInsert {
  const given = Object.fromEntries(Object.entries(input.params ?? {}).filter(([, v]) => v !== undefined));
  const params: TrainingParams = { ...defaultTrainingParams(minLabelsPerClass), ...given };
  refuseReservedName(params.modelName);
  if (params.gates) {
    try {
      validateGates(params.gates);
    } catch (error) {
      throw ApiError.badRequest('training.invalid_gates', (error as Error).message, { field: 'params.gates' });
    }
  }
  return {
    trigger,
    datasetId: input.datasetId ?? null,
    datasetFilter: input.datasetId ? null : (input.filter ?? {}),
    params: params as unknown as Record<string, unknown>,
    codeVersion: codeVersion(),
    requestedBy: actor?.id ?? null,
  };
}

/** Fewest held-out rows that can choose an epoch; below it, training runs every epoch and keeps the last. */
export const MIN_VALIDATION_ROWS = 20;
/** Fewest optimiser steps per epoch: a small dataset in one batch would train for a handful of steps. */
export const MIN_BATCHES_PER_EPOCH = 8;

/**
 * The parameters a run trains with on `rows` training rows: on a small
 * dataset the batch shrinks so that an epoch still takes several steps, and
 * early stopping is off when its held-out slice would be too small to judge
 * an epoch by (a handful of rows picks an epoch by noise). The run records
 * what it used.
 */
export function effectiveParams(params: TrainingParams, rows: number): TrainingParams {
  const validationRows = Math.round(rows * params.validationShare);
  const validationShare = validationRows < MIN_VALIDATION_ROWS ? 0 : params.validationShare;
  const trainRows = rows - Math.round(rows * validationShare);
  const batchSize = Math.max(1, Math.min(params.batchSize, Math.ceil(trainRows / MIN_BATCHES_PER_EPOCH)));
  return { ...params, validationShare, batchSize };
}
