import { EVALUATION_SPLITS, EvaluationReport, EvaluationSplit, ModelEvaluation } from './evaluation-report';

export const GATE_METRICS = ['prAuc', 'recall', 'precision', 'rocAuc', 'f1', 'ece'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];

/** Where precision, recall and F1 are read: at the remove threshold or at the review threshold. */
export type OperatingPointName = 'remove' | 'review';

/**
 * A promotion gate, as data, after MLflow's MetricThreshold.
 *
 * The one word to know is the fall: how much worse the candidate is than the
 * champion, in the metric's own direction. With greaterIsBetter it is
 * champion − candidate; without (ECE) it is candidate − champion. A positive
 * fall is a loss, a negative one a gain.
 * - threshold: the candidate's value must be ≥ threshold (greaterIsBetter)
 *   or ≤ threshold, whatever the champion does;
 * - maxFall: fall ≤ maxFall. A tolerance: 0.01 lets the metric fall by up to
 *   0.01, 0 asks for no loss at all, and a negative value asks for a gain:
 *   MLflow's min_absolute_change = x is maxFall = −x;
 * - maxRelativeFall: fall / |champion| ≤ maxRelativeFall, so 0.05 allows a
 *   loss of 5% of the champion's value; MLflow's min_relative_change = x is
 *   maxRelativeFall = −x. With a champion value of 0 the ratio is undefined,
 *   and the limit holds when the fall is ≤ 0.
 * We name tolerances rather than reuse MLflow's names with a sign flipped,
 * because our gates are mostly "do not lose more than", and a negative
 * min_absolute_change reads backwards.
 * Limits are compared with a slack of 1e-9, so that 0.88 − 0.90 counts as a
 * fall of 0.02, not 0.020000000000000018.
 *
 * A gate applies to `policy` ('*': every policy of the report) on `split`
 * (unset: test and gold). It is skipped, not failed, where it cannot judge:
 * no labelled items of the policy in the split; the champion has no model
 * for the policy and onlyIfChampionHasModel is set; the metric is null on
 * both sides (no violating items, say); or the gate only limits the fall and
 * there is no champion value to fall from. Without onlyIfChampionHasModel, a
 * policy the champion has no model for is still held to `threshold`.
 * A candidate value of null where the champion has one fails: a candidate
 * that finds no remove threshold has no precision at remove, and must not
 * pass a precision gate by saying nothing.
 */
export interface Gate {
  /** For reports; default a description of the gate. */
  name?: string;
  policy: string | '*';
  metric: GateMetric;
  /** For precision, recall and F1. Default: recall at review (what reaches a person or is removed), precision and F1 at remove (what is removed unseen). */
  at?: OperatingPointName;
  greaterIsBetter: boolean;
  threshold?: number;
  maxFall?: number;
  maxRelativeFall?: number;
  split?: EvaluationSplit;
  onlyIfChampionHasModel?: boolean;
}

/**
 * No policy's PR-AUC falls by more than 0.01; no policy that had a model
 * loses recall at its operating point (review: what people see, or is
 * removed) by more than 0.02. On test and gold alike.
 */
export const DEFAULT_GATES: readonly Gate[] = [
  { name: 'PR-AUC falls by at most 0.01', policy: '*', metric: 'prAuc', greaterIsBetter: true, maxFall: 0.01 },
  { name: 'recall at review falls by at most 0.02', policy: '*', metric: 'recall', greaterIsBetter: true, maxFall: 0.02, onlyIfChampionHasModel: true },
];

export type GateStatus = 'passed' | 'failed' | 'skipped';

export interface GateResult {
  /** The gate's name, or its description. */
  gate: string;
  /** Its position in the gates checked. */
  gateIndex: number;
  policyId: string;
  split: EvaluationSplit;
  metric: GateMetric;
  at: OperatingPointName | null;
  status: GateStatus;
  candidate: number | null;
  champion: number | null;
  /** candidate − champion, as is. */
  change: number | null;
  /** How much worse the candidate is (see Gate); positive is a loss. */
  fall: number | null;
  /** fall / |champion|; null without a champion value or with one of 0. */
  relativeFall: number | null;
  reason: string;
}

export interface GateCheck {
  /** No gate failed; skips do not fail. */
  passed: boolean;
  results: GateResult[];
  failures: GateResult[];
  counts: Record<GateStatus, number>;
}

const SLACK = 1e-9;

const LABELS: Record<GateMetric, string> = { prAuc: 'PR-AUC', rocAuc: 'ROC-AUC', ece: 'ECE', precision: 'precision', recall: 'recall', f1: 'F1' };

const fmt = (n: number): string => String(Number(n.toFixed(4)));
const pct = (n: number): string => `${Number((n * 100).toFixed(2))}%`;

function pointOf(gate: Gate): OperatingPointName | null {
  if (gate.metric === 'recall') return gate.at ?? 'review';
  if (gate.metric === 'precision' || gate.metric === 'f1') return gate.at ?? 'remove';
  return null;
}

function metricLabel(gate: Gate): string {
  const at = pointOf(gate);
  return at ? `${LABELS[gate.metric]} at ${at}` : LABELS[gate.metric];
}

/** "every policy: PR-AUC ≥ 0.8 and falls by at most 0.01, on gold, when the champion has a model". */
export function describeGate(gate: Gate): string {
  const limits: string[] = [];
  if (gate.threshold !== undefined) limits.push(`${gate.greaterIsBetter ? '≥' : '≤'} ${fmt(gate.threshold)}`);
  const worse = gate.greaterIsBetter ? 'falls' : 'rises';
  if (gate.maxFall !== undefined) limits.push(gate.maxFall >= 0 ? `${worse} by at most ${fmt(gate.maxFall)}` : `improves by at least ${fmt(-gate.maxFall)}`);
  if (gate.maxRelativeFall !== undefined) {
    limits.push(gate.maxRelativeFall >= 0 ? `${worse} by at most ${pct(gate.maxRelativeFall)}` : `improves by at least ${pct(-gate.maxRelativeFall)}`);
  }
  const who = gate.policy === '*' ? 'every policy' : gate.policy;
  return `${who}: ${metricLabel(gate)} ${limits.join(' and ')}${gate.split ? `, on ${gate.split}` : ''}${gate.onlyIfChampionHasModel ? ', when the champion has a model' : ''}`;
}

/** Throws a RangeError naming the first gate that cannot be checked (unknown metric or split, no limit, a limit not finite). */
export function validateGates(gates: readonly Gate[]): void {
  gates.forEach(checkGate);
}

function checkGate(gate: Gate, index: number): void {
  const where = `gate ${index} (${gate.name ?? gate.metric})`;
  if (!GATE_METRICS.includes(gate.metric)) throw new RangeError(`${where}: unknown metric ${String(gate.metric)}`);
  if (gate.split !== undefined && !EVALUATION_SPLITS.includes(gate.split)) throw new RangeError(`${where}: unknown split ${String(gate.split)}`);
  if (gate.at !== undefined && pointOf(gate) === null) throw new RangeError(`${where}: ${gate.metric} is not read at a threshold, so it takes no 'at'`);
  const limits = [gate.threshold, gate.maxFall, gate.maxRelativeFall].filter((l) => l !== undefined);
  if (limits.length === 0) throw new RangeError(`${where}: sets no threshold, maxFall or maxRelativeFall`);
  if (limits.some((l) => !Number.isFinite(l))) throw new RangeError(`${where}: limits must be finite numbers`);
}

function valueOf(model: ModelEvaluation, gate: Gate): number | null {
  const metrics = model.metrics;
  switch (gate.metric) {
    case 'prAuc':
    case 'rocAuc':
    case 'ece':
      return metrics[gate.metric];
    default: {
      const point = pointOf(gate) === 'review' ? metrics.atReview : metrics.atRemove;
      return point ? point[gate.metric] : null;
    }
  }
}

/** Checks every gate against the report: one result per gate, split and policy, in the order of the gates, then splits, then policies. */
export function checkGates(report: EvaluationReport, gates: readonly Gate[] = DEFAULT_GATES): GateCheck {
  gates.forEach(checkGate);
  const results: GateResult[] = [];
  gates.forEach((gate, gateIndex) => {
    const splits = gate.split ? [gate.split] : EVALUATION_SPLITS;
    const policies = gate.policy === '*' ? report.policyIds : [gate.policy];
    for (const split of splits) for (const policyId of policies) results.push(judge(report, gate, gateIndex, split, policyId));
  });
  const failures = results.filter((r) => r.status === 'failed');
  const counts: Record<GateStatus, number> = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return { passed: failures.length === 0, results, failures, counts };
}

function judge(report: EvaluationReport, gate: Gate, gateIndex: number, split: EvaluationSplit, policyId: string): GateResult {
  const name = gate.name ?? describeGate(gate);
  const label = metricLabel(gate);
  const base = { gate: name, gateIndex, policyId, split, metric: gate.metric, at: pointOf(gate), candidate: null, champion: null, change: null, fall: null, relativeFall: null };
  const evaluation = report.splits[split][policyId];
  const skip = (why: string): GateResult => ({ ...base, status: 'skipped', reason: `gate "${name}" skipped for ${policyId} on ${split}: ${why}` });
  if (!evaluation) return skip(`no labelled items of the policy in ${split}`);
  if (!evaluation.champion && gate.onlyIfChampionHasModel) return skip('the champion has no model for the policy');

  const candidate = valueOf(evaluation.candidate, gate);
  const champion = evaluation.champion ? valueOf(evaluation.champion, gate) : null;
  const change = candidate !== null && champion !== null ? candidate - champion : null;
  const fall = change === null ? null : gate.greaterIsBetter ? -change : change;
  const relativeFall = fall !== null && champion !== 0 && champion !== null ? fall / Math.abs(champion) : null;
  const values = { ...base, candidate, champion, change, fall, relativeFall };
  const fail = (why: string): GateResult => ({ ...values, status: 'failed', reason: `gate "${name}" failed for ${policyId} on ${split}: ${why}` });

  if (candidate === null) {
    if (champion !== null) return fail(`the candidate has no ${label} where the champion had ${fmt(champion)}${nullCause(evaluation.candidate, gate)}`);
    return skip(`${label} is undefined for both models${nullCause(evaluation.candidate, gate)}`);
  }

  const failures: string[] = [];
  const judged: string[] = [];
  if (gate.threshold !== undefined) {
    const ok = gate.greaterIsBetter ? candidate >= gate.threshold - SLACK : candidate <= gate.threshold + SLACK;
    judged.push(`${label} ${fmt(candidate)} ${gate.greaterIsBetter ? '≥' : '≤'} ${fmt(gate.threshold)}`);
    if (!ok) failures.push(`${label} is ${fmt(candidate)}, ${gate.greaterIsBetter ? 'below' : 'above'} ${fmt(gate.threshold)} by ${fmt(Math.abs(candidate - gate.threshold))}`);
  }
  const comparing = gate.maxFall !== undefined || gate.maxRelativeFall !== undefined;
  if (comparing && fall !== null && champion !== null) {
    const moved = `${fmt(champion)} → ${fmt(candidate)}`;
    const worse = gate.greaterIsBetter ? 'fell' : 'rose';
    const better = gate.greaterIsBetter ? 'rose' : 'fell';
    const described = fall > 0 ? `${worse} by ${fmt(fall)}` : fall < 0 ? `${better} by ${fmt(-fall)}` : 'did not change';
    judged.push(`${label} ${described} (${moved})`);
    if (gate.maxFall !== undefined && fall > gate.maxFall + SLACK) {
      failures.push(
        gate.maxFall >= 0
          ? `${label} ${worse} by ${fmt(fall)} (${moved}), ${fmt(fall - gate.maxFall)} more than the ${fmt(gate.maxFall)} allowed`
          : `${label} ${described} (${moved}), short of the required gain of ${fmt(-gate.maxFall)} by ${fmt(fall - gate.maxFall)}`,
      );
    }
    if (gate.maxRelativeFall !== undefined) {
      const ok = relativeFall === null ? fall <= SLACK : relativeFall <= gate.maxRelativeFall + SLACK;
      if (!ok) {
        const by = relativeFall === null ? `from a champion value of 0` : `${pct(relativeFall)} of the champion's value`;
        failures.push(`${label} ${described} (${moved}), ${by}, beyond the ${gate.maxRelativeFall >= 0 ? `${pct(gate.maxRelativeFall)} allowed` : `required gain of ${pct(-gate.maxRelativeFall)}`}`);
      }
    }
  }
  if (judged.length === 0) {
    return skip(evaluation.champion ? `the champion has no ${label} to compare with` : 'the champion has no model for the policy to compare with');
  }
  if (failures.length > 0) return fail(failures.join('; '));
  return { ...values, status: 'passed', reason: `gate "${name}" passed for ${policyId} on ${split}: ${judged.join('; ')}` };
}

/** Why a model's value is null, where the report can tell. */
function nullCause(model: ModelEvaluation, gate: Gate): string {
  const at = pointOf(gate);
  if (at && model.thresholds[at] === null) return ` (no ${at} threshold)`;
  if (model.metrics.items === 0) return ' (no scored items)';
  if (model.metrics.positives === 0) return ' (no violating items)';
  return '';
}

/**
 * Whether a version's stored gate check passed for some of its policies: a
 * failure of another policy does not count. What a promotion of only those
 * heads must pass; a version checked before gates were stored (no results)
 * keeps its overall verdict.
 */
export function gatesPassedFor(check: Pick<GateCheck, 'failures'> | null | undefined, overall: boolean | null, policyIds: readonly string[]): boolean {
  if (!check || !Array.isArray(check.failures)) return overall === true;
  return !check.failures.some((failure) => policyIds.includes(failure.policyId));
}
