import type { HeadTrainingResult } from '@loupe/ml';
import type { ModelEvaluation } from '../evaluation';
import type { CandidateJudgement } from './candidate-evaluator.service';
import type { TrainingParams } from './training-params';

export interface ModelCardFacts {
  params: TrainingParams;
  datasetId: string;
  trained: HeadTrainingResult;
  judgement: CandidateJudgement;
  policies: string[];
  leftOut: string[];
  trainingSeconds: number;
  rows: number;
  codeVersion: string;
}

const summary = (evaluation: ModelEvaluation | null | undefined) =>
  evaluation && {
    items: evaluation.metrics.items,
    positives: evaluation.metrics.positives,
    prAuc: evaluation.metrics.prAuc,
    rocAuc: evaluation.metrics.rocAuc,
    ece: evaluation.metrics.ece,
    precisionAtRemove: evaluation.metrics.atRemove?.precision ?? null,
    recallAtReview: evaluation.metrics.atReview?.recall ?? null,
    slices: evaluation.slices.measured.length,
  };

/**
 * The model card a run writes: what the model is for, what it learned
 * from, how it measures beside the champion per policy and split, and what
 * it is known not to do. Read by people deciding whether to promote it.
 */
export function modelCard(facts: ModelCardFacts): Record<string, unknown> {
  const { params, trained, judgement } = facts;
  const metrics: Record<string, unknown> = {};
  for (const [split, policies] of Object.entries(judgement.report.splits)) {
    for (const [policyId, evaluation] of Object.entries(policies)) {
      (metrics[policyId] ??= {} as Record<string, unknown>) as Record<string, unknown>;
      (metrics[policyId] as Record<string, unknown>)[split] = { candidate: summary(evaluation.candidate), champion: summary(evaluation.champion) };
    }
  }
  const last = trained.history.at(-1);
  return {
    model: params.modelName,
    intendedUse:
      'Scores content items for the policies listed, from the baseline backbone\'s image embedding and the item\'s caption, hashtags and language, to decide which items a moderator reviews and which are removed at once. Not for use on its own without human review of the items it sends to review.',
    architecture: params.hidden > 0 ? `MLP, ${params.hidden} hidden units (ReLU), one sigmoid output per policy` : 'logistic regression, one sigmoid output per policy',
    inputs: { image: trained.head.imageFeatures, text: trained.head.textFeatures },
    policies: facts.policies,
    data: { datasetId: facts.datasetId, rowsWithFeatures: facts.rows, policiesWithoutHead: facts.leftOut },
    training: {
      codeVersion: facts.codeVersion,
      seed: trained.seed,
      params,
      epochsRun: trained.epochsRun,
      bestEpoch: trained.bestEpoch,
      seconds: Math.round(facts.trainingSeconds * 10) / 10,
      samplesPerSecond: last ? Math.round(last.samplesPerSecond) : null,
    },
    thresholds: judgement.thresholds,
    metrics,
    gates: { passed: judgement.gates.passed, failures: judgement.gates.failures.map((f) => f.reason) },
    knownLimits: [
      'The backbone was trained for nudity; for other visual concepts its embedding is a weak feature, and recall on kinds of images unlike the training labels is unknown.',
      'Test metrics at the proposed thresholds are measured on the rows the thresholds were chosen on, and are a little optimistic; the gold split is not.',
      'Slices with fewer than 30 items or 5 violating items are not measured.',
    ],
  };
}
