import { Injectable } from '@nestjs/common';
import { ContentRepository, PolicyRepository } from '@loupe/database';
import { checkGates, DEFAULT_GATES, evaluate, EvaluationReport, GateCheck, OperatingThresholds } from '../evaluation';
import { ServingStateService } from '../serving/serving-state.service';
import { GraphScorer, GraphScores as Scores } from './graph-scorer';
import type { TrainingParams } from './training-params';
import { evaluationRows, FeaturedRow } from './training-data';

export interface CandidateJudgement {
  report: EvaluationReport;
  gates: GateCheck;
  /** Proposed per policy, ready to apply on promotion. */
  thresholds: Record<string, { review: number; remove: number }>;
  /** The versions the candidate was compared with, per policy (absent: the baseline model, or none). */
  champions: Record<string, string>;
}

/**
 * Scores the test and gold rows with the candidate's own ONNX graph (the
 * artefact that would serve, not a copy of its weights) and with what
 * serves each policy now: a promoted version's graph, or the baseline
 * model's stored scores. Then the evaluation, side by side, the proposed
 * thresholds, and the gates. A graph that reads pixels is run on each
 * item's stored frames (GraphScorer).
 */
@Injectable()
export class CandidateEvaluator {
  constructor(
    private readonly serving: ServingStateService,
    private readonly contents: ContentRepository,
    private readonly policies: PolicyRepository,
    private readonly graphs: GraphScorer,
  ) {}

  /** @param candidate the sha256 of the candidate's stored graph */
  async judge(rows: FeaturedRow[], candidate: string, candidatePolicies: string[], params: TrainingParams): Promise<CandidateJudgement> {
    const evaluated = rows.filter((r) => r.record.split !== 'train');
    const candidateScores = await this.scoreWithGraph(candidate, evaluated);

    const { state, versions } = await this.serving.current();
    const championScores: Scores = new Map();
    const championThresholds: Record<string, OperatingThresholds> = {};
    const champions: Record<string, string> = {};
    const catalog = await this.policies.list();
    const served = new Map<string, string[]>();
    for (const policyId of candidatePolicies) {
      const version = state.policies[policyId];
      if (version) {
        served.set(version.versionId, [...(served.get(version.versionId) ?? []), policyId]);
        champions[policyId] = version.versionId;
      }
    }
    for (const [versionId, policyIds] of served) {
      const sha = versions.get(versionId)?.artefactSha256;
      if (!sha) continue;
      const scores = await this.scoreWithGraph(sha, evaluated);
      merge(championScores, scores, policyIds);
    }
    // Policies no promoted version serves: the baseline model's scores, where its catalog entry maps it to the policy.
    const baselinePolicies = catalog.filter((p) => candidatePolicies.includes(p.id) && !state.policies[p.id] && p.modelInputs.length > 0);
    for (const policy of baselinePolicies) {
      for (const input of policy.modelInputs) {
        const ids = evaluated.map((r) => r.record.content_id);
        for (let i = 0; i < ids.length; i += 500) {
          for (const row of await this.contents.scoresOfModel(ids.slice(i, i + 500), input.model)) {
            const score = row.policyScores[policy.id];
            if (score === undefined) continue;
            const entry = championScores.get(row.contentId) ?? {};
            entry[policy.id] = Math.max(entry[policy.id] ?? 0, score);
            championScores.set(row.contentId, entry);
          }
        }
      }
    }
    for (const policy of catalog) {
      if (!candidatePolicies.includes(policy.id)) continue;
      if (state.policies[policy.id] || baselinePolicies.includes(policy)) championThresholds[policy.id] = { review: policy.reviewThreshold, remove: policy.removeThreshold };
    }

    const report = evaluate(evaluationRows(rows), candidateScores, championScores, {
      championThresholds,
      policyIds: candidatePolicies,
      // A run recorded before the budget existed had none.
      targets: { removePrecision: params.removePrecision, reviewRecall: params.reviewRecall, reviewMaxFalsePositiveRate: params.reviewMaxFalsePositiveRate ?? 1, minRemoveThreshold: params.minRemoveThreshold ?? 0, minPredictedPositives: 5 },
    });
    const thresholds: CandidateJudgement['thresholds'] = {};
    for (const policyId of candidatePolicies) {
      const proposed = report.candidateThresholds[policyId];
      // Without a threshold that reaches its target, the candidate never removes on its own, and reviews from the middle.
      const remove = proposed?.remove.threshold ?? 1;
      thresholds[policyId] = { review: Math.min(proposed?.review.threshold ?? 0.5, remove), remove };
    }
    return { report, gates: checkGates(report, params.gates ?? DEFAULT_GATES), thresholds, champions };
  }

  /** Scores rows with a stored graph in the compute threads, as serving runs it. */
  private scoreWithGraph(sha256: string, rows: FeaturedRow[]): Promise<Scores> {
    return this.graphs.score(
      sha256,
      rows.map((r) => ({ contentId: r.record.content_id, mediaSha256: r.record.media_sha256, image: r.image, text: r.text })),
    );
  }
}

function merge(into: Scores, from: Scores, policyIds: string[]): void {
  for (const [contentId, scores] of from) {
    const entry = into.get(contentId) ?? {};
    for (const policyId of policyIds) if (scores[policyId] !== undefined) entry[policyId] = scores[policyId];
    into.set(contentId, entry);
  }
}
