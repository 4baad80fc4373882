import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { AccuracyRepository, PolicyRepository, TrainingPackRepository, TrainingPackRow } from '@loupe/database';
import type { Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { AccuracyPeriod, AccuracyService, filterOf, periodOf } from './accuracy.service';
import { PackTarget, packItems, storedAccuracy, TargetAccuracy, targetAccuracy } from './training-pack';

export interface TrainingPackInput {
  moderatorId?: string;
  team?: string;
  policyId: string;
  nuance?: string;
  /** The decisions the pack is made from, and accuracy before measured on; all time when absent. */
  period?: string;
}

/** A pack with its accuracy before, and after its delivery (null until delivered). */
export interface TrainingPackView {
  pack: TrainingPackRow;
  before: TargetAccuracy;
  after: TargetAccuracy | null;
}

/**
 * Training packs: the items a moderator or a team got wrong under a policy
 * (and nuance), with the right answers and why. Accuracy before is fixed
 * when the pack is made; accuracy after is computed, when asked, on the
 * decisions made since the training was delivered, against the answers as
 * they stand then (so an item settled later counts as settled).
 */
@Injectable()
export class TrainingPackService {
  constructor(
    private readonly packs: TrainingPackRepository,
    private readonly records: AccuracyRepository,
    private readonly policies: PolicyRepository,
    private readonly accuracy: AccuracyService,
    private readonly audit: AuditService,
  ) {}

  async create(input: TrainingPackInput, actor: Principal): Promise<TrainingPackView> {
    if (Boolean(input.moderatorId) === Boolean(input.team)) {
      throw ApiError.badRequest('analysis.pack_target_required', 'Give exactly one of moderatorId and team: whose training this is', { field: 'moderatorId' });
    }
    const period: AccuracyPeriod = periodOf(input.period);
    const policy = await this.policies.findById(input.policyId);
    if (!policy) throw ApiError.notFound('analysis.policy_not_found', `No policy ${input.policyId}`, { policyId: input.policyId });
    if (input.nuance && !policy.nuances.some((n) => n.id === input.nuance)) {
      throw ApiError.notFound('analysis.nuance_not_found', `Policy ${policy.id} has no nuance ${input.nuance}`, { policyId: policy.id, nuance: input.nuance, known: policy.nuances.map((n) => n.id) });
    }
    if (input.moderatorId && !(await this.records.moderatorExists(input.moderatorId))) {
      throw ApiError.notFound('analysis.moderator_not_found', `No moderator ${input.moderatorId}`, { moderatorId: input.moderatorId });
    }
    if (input.team && (await this.records.teamMembers(input.team)).length === 0) {
      throw ApiError.notFound('analysis.team_not_found', `No moderator is in team ${input.team}`, { team: input.team });
    }

    const target: PackTarget = { moderatorId: input.moderatorId, team: input.team, policyId: policy.id, nuance: input.nuance ?? null };
    const { scored } = await this.accuracy.evaluate(filterOf(period, policy.id));
    const items = packItems(scored, target, policy);
    const before = targetAccuracy(scored, target);
    if (items.length === 0) {
      // A pack of nothing would record a training that taught nothing: refused, with what was looked at.
      throw ApiError.unprocessable('analysis.nothing_to_train', `No wrong answer to train on: ${before.decisions} scored decisions, all right`, { decisions: before.decisions, period: period.label });
    }
    const pack = await this.packs.create({
      moderatorId: input.moderatorId ?? null,
      team: input.team ?? null,
      policyId: policy.id,
      nuance: input.nuance ?? null,
      items,
      accuracyBefore: before.accuracy,
      decisionsBefore: before.decisions,
      createdBy: actor.id,
    });
    await this.audit.record(actor, 'analysis.training_pack.create', { type: 'training_pack', id: pack.id }, { ...target, period: period.label, items: items.length, accuracyBefore: before.accuracy });
    return { pack, before, after: null };
  }

  async list(filter: { moderatorId?: string; team?: string; policyId?: string } = {}): Promise<TrainingPackRow[]> {
    return this.packs.list(filter);
  }

  async get(id: string): Promise<TrainingPackView> {
    const pack = await this.packs.findById(id);
    if (!pack) throw ApiError.notFound('analysis.training_pack_not_found', `No training pack ${id}`);
    return { pack, before: storedAccuracy(pack.accuracyBefore, pack.decisionsBefore), after: await this.after(pack) };
  }

  /** Marks the training done, now; accuracy after counts decisions from this moment. Once only: 409 when already delivered. */
  async markDelivered(id: string, actor: Principal): Promise<TrainingPackView> {
    const delivered = await this.packs.markDelivered(id);
    if (!delivered) {
      const pack = await this.packs.findById(id);
      if (!pack) throw ApiError.notFound('analysis.training_pack_not_found', `No training pack ${id}`);
      throw ApiError.conflict('analysis.training_pack_delivered', `Training pack ${id} was delivered at ${pack.deliveredAt?.toISOString()}`, { deliveredAt: pack.deliveredAt });
    }
    await this.audit.record(actor, 'analysis.training_pack.deliver', { type: 'training_pack', id }, { deliveredAt: delivered.deliveredAt });
    return { pack: delivered, before: storedAccuracy(delivered.accuracyBefore, delivered.decisionsBefore), after: await this.after(delivered) };
  }

  private async after(pack: TrainingPackRow): Promise<TargetAccuracy | null> {
    if (!pack.deliveredAt) return null;
    // Only reviews since the delivery: the items they are about were, in the main, reviewed since too, and
    // the work stays bounded by the time since the training rather than by all history.
    const { scored } = await this.accuracy.evaluate({ policyId: pack.policyId, from: pack.deliveredAt });
    return targetAccuracy(scored, { moderatorId: pack.moderatorId ?? undefined, team: pack.team ?? undefined, policyId: pack.policyId, nuance: pack.nuance }, pack.deliveredAt);
  }
}
