import type { LoupeHttp } from '../loupe/http';
import { HOUR } from '../world/world';
import { sleep } from './concurrency';
import type { RetrainRecord } from './ledger';

/**
 * The learning loop on the simulated schedule, through the public API as
 * an ML engineer would run it: a training run on the labels so far
 * (POST /v1/training-runs, asking minLabelsPerClass of each class for a
 * head: a day of a small platform has few labels), awaited; then the
 * promotion of its heads that passed their gates (POST
 * /v1/models/policy-heads/promote, with `policies` when some failed): a head
 * for a new harm does not wait for one that got worse elsewhere, which stays
 * on the champion. Simulated time stands still meanwhile: the new model
 * serves from this step's end.
 */
/**
 * The simulated ML engineer's promotion gates: Loupe's defaults in kind
 * (no policy's PR-AUC, nor its recall at review where the champion has a
 * model, may fall), with a tolerance of 0.05 instead of 0.01 and 0.02. A
 * day's test split holds a few dozen items of a policy, where one item
 * ranked differently moves PR-AUC by two or three hundredths: the defaults
 * would refuse every retrain on noise. The report's own check, on the
 * ground truth, still holds every policy to 0.02.
 */
export const SIMULATION_GATES = [
  { name: 'PR-AUC falls by at most 0.05', policy: '*', metric: 'prAuc', greaterIsBetter: true, maxFall: 0.05 },
  { name: 'recall at review falls by at most 0.05', policy: '*', metric: 'recall', greaterIsBetter: true, maxFall: 0.05, onlyIfChampionHasModel: true },
];

/**
 * The review budget the simulated ML engineer asks of every head
 * (reviewMaxFalsePositiveRate): Loupe's default of 0.02 lets each head send
 * 2% of benign uploads to review, and with five heads that was about 80
 * benign items per simulated hour against a team that reviews about 100 per
 * hour within its wellbeing limits (docs/simulation.md, 2026-12-03). Half of
 * it leaves room for the violations and the reports.
 */
export const REVIEW_FALSE_POSITIVE_BUDGET = 0.01;

/** Seconds spent in each stage a run passed through, from the first poll that showed it to the next stage's. */
export class StageClock {
  private readonly spent: Record<string, number> = {};
  private current: { stage: string; since: number } | null = null;

  constructor(private readonly started: number) {}

  at(stage: string, now: number): void {
    if (this.current?.stage === stage) return;
    this.close(now);
    this.current = { stage, since: this.current ? now : this.started };
  }

  end(now: number): Record<string, number> {
    this.close(now);
    this.current = null;
    return { ...this.spent };
  }

  private close(now: number): void {
    if (!this.current) return;
    this.spent[this.current.stage] = (this.spent[this.current.stage] ?? 0) + Math.round((now - this.current.since) / 100) / 10;
  }
}

export async function retrainOnce(ml: LoupeHttp, at: number, minLabelsPerClass: number, log: (line: string) => void): Promise<RetrainRecord> {
  const started = Date.now();
  const record: RetrainRecord = { at, runId: null, status: 'not started', message: null, version: null, policies: [], gatesPassed: null, promoted: false, promotedPolicies: [], realSeconds: 0, stageSeconds: {} };
  try {
    const run = await ml.post<{ id: string }>('/v1/training-runs', { params: { minLabelsPerClass, gates: SIMULATION_GATES, reviewMaxFalsePositiveRate: REVIEW_FALSE_POSITIVE_BUDGET } });
    record.runId = run.id;
    let state: { status: string; message: string | null; modelVersionId: string | null; progress: { stage?: string } | null };
    // Where the run's time goes, as its polled progress shows it (to the second): queued, then each stage.
    const stages = new StageClock(started);
    for (;;) {
      state = await ml.get(`/v1/training-runs/${run.id}`);
      if (!['queued', 'running'].includes(state.status)) break;
      stages.at(state.status === 'queued' ? 'queued' : (state.progress?.stage ?? 'starting'), Date.now());
      if (Date.now() - started > 15 * 60_000) {
        await ml.post(`/v1/training-runs/${run.id}/cancel`, {}).catch(() => undefined);
        state = { ...state, status: 'timed out' };
        break;
      }
      await sleep(1000);
    }
    record.status = state.status;
    record.message = state.message;
    record.stageSeconds = stages.end(Date.now());
    if (state.status === 'succeeded' && state.modelVersionId) {
      const models = await ml.get<{ name: string; latestVersion: number }[]>('/v1/models');
      const latest = models.find((m) => m.name === 'policy-heads')?.latestVersion ?? null;
      if (latest !== null) {
        const version = await ml.get<{ id: string; version: number; policies: string[]; gatesPassed: boolean | null; gates: { failures?: { policyId: string; reason: string }[] } | null }>(
          `/v1/models/policy-heads/versions/${latest}`,
        );
        record.version = version.version;
        record.policies = version.policies;
        record.gatesPassed = version.gatesPassed;
        // Which gates failed, so that the report can say why a version was not promoted.
        const failures = version.gates?.failures ?? [];
        if (failures.length > 0) {
          const shown = failures.slice(0, 4).map((f) => f.reason);
          record.message = [record.message, `Gates failed: ${shown.join('; ')}${failures.length > shown.length ? `; and ${failures.length - shown.length} more` : ''}`].filter(Boolean).join('. ');
        }
        // All of its heads when the gates passed; Loupe judges the named ones by their own gates.
        const passing = version.policies.filter((p) => !failures.some((f) => f.policyId === p));
        if (passing.length > 0) {
          await ml.post('/v1/models/policy-heads/promote', { version: version.version, policies: passing });
          record.promoted = true;
          record.promotedPolicies = passing;
        }
      }
    }
  } catch (error) {
    record.status = record.runId ? record.status : 'refused';
    record.message = (error as Error).message;
  }
  record.realSeconds = (Date.now() - started) / 1000;
  log(
    `retrain at simulated hour ${(at / HOUR).toFixed(1)}: ${record.status}${record.version ? `, version ${record.version} (${record.policies.join(', ')})` : ''}` +
      `${record.gatesPassed ? ', promoted' : record.promoted ? `, gates failed, promoted ${record.promotedPolicies.join(', ')}` : record.gatesPassed === false ? ', gates failed' : ''}${record.message ? ` — ${record.message}` : ''}`,
  );
  return record;
}
