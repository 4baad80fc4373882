import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { EMPTY_SERVING_STATE, ModelAliasRow, ModelDeploymentRow, ModelRegistryRepository, ModelVersionRow, PolicyRepository, TransactionManager } from '@loupe/database';
import type { Principal, ServingState } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { PolicyService } from '../../policy/policy.service';
import { GateCheck, gatesPassedFor } from '../evaluation/gates';
import { ServingStateService } from '../serving/serving-state.service';
import { refuseBackbone } from './backbone-version';

export const CHAMPION = 'champion';
export const CHALLENGER = 'challenger';
const ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

export interface ModelSummary {
  name: string;
  versions: number;
  latest: ModelVersionRow;
  aliases: Record<string, number>;
  /** The challenger beside the champion, if one runs. */
  experiment: ServingState['experiments'][string] | null;
}

export interface PromoteInput {
  /** The version to promote; the challenger alias's, else the latest, when absent. */
  version?: number;
  /**
   * Only these of the version's heads; the others keep what serves them. The
   * gates are judged for these policies alone: a version whose new head is
   * better can serve it while a head that got worse stays on the champion.
   */
  policies?: string[];
  /** An admin may promote a version that failed its gates, with a reason (audited). */
  override?: { reason: string };
}

export interface DeploymentInput {
  challenger: number | null;
  mode: 'shadow' | 'canary' | 'none';
  percent?: number;
}

/**
 * The model registry, after MLflow's: versions of named models, aliases
 * that point at them, and promotion through gates. Unlike MLflow's, it
 * keeps every change of what served what (model_deployments), so "which
 * version decided this policy on the 3rd at noon" has an answer, and it
 * runs challengers beside the champion (shadow) or on a share of the items
 * (canary). Every process serves from the latest deployment row, which it
 * polls (ServingStateService), so a change reaches all of them within seconds.
 */
@Injectable()
export class ModelRegistryService {
  constructor(
    private readonly registry: ModelRegistryRepository,
    private readonly policyRows: PolicyRepository,
    private readonly policies: PolicyService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly serving: ServingStateService,
  ) {}

  /** This process serves the change at once; the others at their next poll. */
  private servedSoon(): void {
    this.transactions.afterCommit(() => this.serving.refresh().catch(() => undefined));
  }

  async list(): Promise<ModelSummary[]> {
    const [versions, aliases, deployment] = await Promise.all([this.registry.listVersions(), this.registry.aliases(), this.registry.deploymentAt()]);
    const byName = new Map<string, ModelVersionRow[]>();
    for (const version of versions) byName.set(version.modelName, [...(byName.get(version.modelName) ?? []), version]);
    return [...byName.entries()].map(([name, rows]) => ({
      name,
      versions: rows.length,
      latest: rows[0],
      aliases: aliasMap(aliases.filter((a) => a.modelName === name), rows),
      experiment: deployment?.state.experiments[name] ?? null,
    }));
  }

  async version(name: string, version: number): Promise<{ version: ModelVersionRow; aliases: string[] }> {
    const row = await this.registry.findVersion(name, version);
    if (!row) throw ApiError.notFound('model.version_not_found', `No version ${version} of model ${name}`);
    const aliases = (await this.registry.aliases(name)).filter((a) => a.versionId === row.id).map((a) => a.alias);
    return { version: row, aliases };
  }

  /** Points an alias at a version. `champion` moves only through promotion, which checks the gates. */
  async setAlias(name: string, alias: string, version: number, actor: Principal | null): Promise<ModelAliasRow> {
    if (!ALIAS_PATTERN.test(alias)) throw ApiError.badRequest('model.invalid_alias', 'An alias is lower-case letters, digits, - and _, starting with a letter');
    if (alias === CHAMPION) throw ApiError.conflict('model.champion_by_promotion', 'The champion alias moves only through promotion: POST /v1/models/:name/promote');
    return this.transactions.run(async () => {
      const target = await this.version(name, version);
      const row = await this.registry.setAlias(name, alias, target.version.id, actor?.id ?? null);
      await this.audit.record(actor, 'model.alias', { type: 'model', id: name }, { alias, version });
      return row;
    });
  }

  /**
   * Makes a version the champion: it decides every policy it has a head for,
   * or the ones named (others keep what served them), their proposed thresholds take effect
   * (audited as threshold changes), and a challenger run of it ends.
   */
  async promote(name: string, input: PromoteInput, actor: Principal | null): Promise<ModelDeploymentRow> {
    return this.transactions.run(async () => {
      await this.registry.lockServing();
      const target = await this.pick(name, input.version);
      refuseBackbone(target, 'promoted');
      const heads = input.policies ? [...new Set(input.policies)] : target.policies;
      const foreign = heads.filter((policyId) => !target.policies.includes(policyId));
      if (heads.length === 0 || foreign.length > 0) {
        throw ApiError.badRequest('model.policy_not_in_version', `Version ${target.version} of ${name} has heads for ${target.policies.join(', ')}; it has none for ${foreign.join(', ') || 'an empty list'}`, {
          field: 'policies',
          policies: target.policies,
        });
      }
      const passed = input.policies ? gatesPassedFor(target.gates as unknown as GateCheck | null, target.gatesPassed, heads) : target.gatesPassed === true;
      if (!passed) {
        if (!input.override) {
          const what = input.policies ? `failed its gates for ${heads.join(', ')}` : 'failed its gates';
          throw ApiError.conflict('model.gates_failed', `Version ${target.version} of ${name} ${what}; an admin may override with a reason`, { gates: target.gates });
        }
        if (actor && actor.role !== 'admin') throw ApiError.forbidden('model.override_admin_only', 'Only an admin may promote past failed gates');
      }
      const current = await this.state();
      const served = { modelName: name, versionId: target.id, version: target.version };
      const policies = { ...current.policies };
      for (const policyId of heads) policies[policyId] = served;
      const experiments = { ...current.experiments };
      if (experiments[name]?.versionId === target.id) delete experiments[name];
      const replacedThresholds: Record<string, { review: number; remove: number }> = {};
      for (const policy of await this.policyRows.list()) {
        const proposed = target.thresholds[policy.id];
        if (!proposed || !heads.includes(policy.id)) continue;
        replacedThresholds[policy.id] = { review: policy.reviewThreshold, remove: policy.removeThreshold };
        await this.policies.updateThresholds(policy.id, proposed, actor, `${name} version ${target.version} promoted`);
      }
      await this.registry.setAlias(name, CHAMPION, target.id, actor?.id ?? null);
      const row = await this.registry.addDeployment({
        action: 'promote',
        modelName: name,
        versionId: target.id,
        state: { policies, experiments, replacedThresholds },
        reason: input.override?.reason ?? null,
        actorId: actor?.id ?? null,
      });
      this.servedSoon();
      await this.audit.record(actor, input.override && !passed ? 'model.promote_override' : 'model.promote', { type: 'model', id: name }, {
        version: target.version,
        policies: heads,
        ...(input.override ? { reason: input.override.reason, gates: target.gates } : {}),
      });
      return row;
    });
  }

  /**
   * Returns the model's policies to what served them before its current
   * champion was promoted, with the thresholds that promotion replaced; the
   * champion alias goes back to the previous champion, if there was one.
   */
  async rollback(name: string, actor: Principal | null): Promise<ModelDeploymentRow> {
    return this.transactions.run(async () => {
      await this.registry.lockServing();
      const history = await this.registry.deployments(name, 1000);
      const current = await this.state();
      const champion = (await this.registry.aliases(name)).find((a) => a.alias === CHAMPION);
      const promotion = history.find((d) => d.action === 'promote' && d.versionId === champion?.versionId);
      if (!champion || !promotion) throw ApiError.conflict('model.nothing_to_roll_back', `Model ${name} has no promoted champion to roll back`);
      const before = (await this.registry.deploymentBefore(promotion.seq))?.state ?? EMPTY_SERVING_STATE;
      const earlier = history.find((d) => d.seq < promotion.seq && d.action === 'promote' && d.versionId !== champion.versionId);
      const policies = { ...current.policies };
      for (const [policyId, served] of Object.entries(current.policies)) {
        if (served.versionId !== champion.versionId) continue;
        if (before.policies[policyId]) policies[policyId] = before.policies[policyId];
        else delete policies[policyId];
      }
      for (const [policyId, thresholds] of Object.entries(promotion.state.replacedThresholds ?? {})) {
        await this.policies.updateThresholds(policyId, thresholds, actor, `${name} rolled back`);
      }
      if (earlier?.versionId) await this.registry.setAlias(name, CHAMPION, earlier.versionId, actor?.id ?? null);
      else await this.registry.removeAlias(name, CHAMPION);
      const row = await this.registry.addDeployment({
        action: 'rollback',
        modelName: name,
        versionId: earlier?.versionId ?? null,
        state: { policies, experiments: current.experiments },
        reason: null,
        actorId: actor?.id ?? null,
      });
      const from = await this.registry.findVersionById(champion.versionId);
      const to = earlier?.versionId ? await this.registry.findVersionById(earlier.versionId) : undefined;
      this.servedSoon();
      await this.audit.record(actor, 'model.rollback', { type: 'model', id: name }, { from: from?.version ?? null, to: to?.version ?? null });
      return row;
    });
  }

  /** Runs a challenger beside the champion (shadow), or on a share of the items (canary); mode none stops it. */
  async deploy(name: string, input: DeploymentInput, actor: Principal | null): Promise<ModelDeploymentRow> {
    if (input.mode !== 'none' && input.challenger === null) throw ApiError.badRequest('model.invalid_deployment', 'A shadow or canary needs a challenger version');
    const percent = input.mode === 'shadow' ? (input.percent ?? 100) : (input.percent ?? 0);
    if (input.mode === 'canary' && !(percent > 0 && percent <= 100)) throw ApiError.badRequest('model.invalid_deployment', 'A canary needs a percent above 0 and at most 100');
    return this.transactions.run(async () => {
      await this.registry.lockServing();
      const current = await this.state();
      const experiments = { ...current.experiments };
      let versionId: string | null = null;
      if (input.mode === 'none') {
        delete experiments[name];
      } else {
        const target = await this.version(name, input.challenger!);
        refuseBackbone(target.version, 'deployed');
        versionId = target.version.id;
        experiments[name] = { modelName: name, versionId, version: target.version.version, mode: input.mode, percent };
        await this.registry.setAlias(name, CHALLENGER, versionId, actor?.id ?? null);
      }
      const row = await this.registry.addDeployment({ action: 'deploy', modelName: name, versionId, state: { policies: current.policies, experiments }, reason: null, actorId: actor?.id ?? null });
      this.servedSoon();
      await this.audit.record(actor, 'model.deploy', { type: 'model', id: name }, { challenger: input.challenger, mode: input.mode, percent });
      return row;
    });
  }

  /** The serving state at a time (now when absent), and the change that made it. */
  async deploymentAt(at?: Date): Promise<{ row: ModelDeploymentRow | null; state: ServingState }> {
    const row = (await this.registry.deploymentAt(at)) ?? null;
    return { row, state: row?.state ?? EMPTY_SERVING_STATE };
  }

  private async state(): Promise<ServingState> {
    return (await this.registry.deploymentAt())?.state ?? EMPTY_SERVING_STATE;
  }

  private async pick(name: string, version: number | undefined): Promise<ModelVersionRow> {
    if (version !== undefined) return (await this.version(name, version)).version;
    const challenger = (await this.registry.aliases(name)).find((a) => a.alias === CHALLENGER);
    const row = challenger ? await this.registry.findVersionById(challenger.versionId) : await this.registry.latestVersion(name);
    if (!row) throw ApiError.notFound('model.not_found', `No model ${name}`);
    return row;
  }
}

function aliasMap(aliases: ModelAliasRow[], versions: ModelVersionRow[]): Record<string, number> {
  const numbers = new Map(versions.map((v) => [v.id, v.version]));
  return Object.fromEntries(aliases.map((a) => [a.alias, numbers.get(a.versionId)!]));
}
