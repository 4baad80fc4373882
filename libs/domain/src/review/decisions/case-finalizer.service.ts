import { Injectable } from '@nestjs/common';
import { AppealRow, ContentDecisionRow, ContentRepository, DecisionRepository, ModelScoreRow, ReportRepository, ReviewCaseRepository, ReviewCaseRow, ReviewTaskRepository, TrainingLabelRepository } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { BankService } from '../../matching/bank.service';
import { HashMatchService } from '../../matching/hash-match.service';
import type { AppealDecidedData } from '../../webhooks/webhook-event-catalog';
import { WebhookEvents } from '../../webhooks/webhook-events.service';
import { GoldStanding } from '../gold/gold-standing.service';
import { outcomeOfLabels } from './label-rules';
import { scoreSnapshots } from './score-snapshots';
import type { LabelProvenance, PolicyLabel } from '@loupe/vocabulary';

export interface FinalVerdict {
  labels: PolicyLabel[];
  provenance: LabelProvenance;
  /** Share of the reviewers who agreed with the final verdict. */
  agreement: number;
  moderatorIds: string[];
  /** The moderator whose decision settled the case. */
  labellerId: string;
  labelledAt: Date;
  decisionId: string;
  /** What the label records of the moment of review, when the caller has read it already. */
  known?: { labellerPassingGold: boolean | null; scores: ModelScoreRow[] };
}

function appealDecided(appeal: AppealRow, caseRow: ReviewCaseRow, outcome: 'upheld' | 'overturned', decision: ContentDecisionRow): AppealDecidedData {
  return {
    appealId: appeal.id,
    contentId: appeal.contentId,
    caseId: caseRow.id,
    outcome,
    appealedDecisionId: appeal.decisionId,
    decisionId: decision.id,
    decidedAt: decision.createdAt.toISOString(),
  };
}

/**
 * What a settled case changes: the item's status and decision history, the
 * banks (hash of removed media; feedback on matched entries), an appeal's
 * outcome, and the training label with how it was reached.
 */
@Injectable()
export class CaseFinalizer {
  constructor(
    private readonly cases: ReviewCaseRepository,
    private readonly tasks: ReviewTaskRepository,
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly reports: ReportRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly matcher: HashMatchService,
    private readonly banks: BankService,
    private readonly gold: GoldStanding,
    private readonly audit: AuditService,
    private readonly webhooks: WebhookEvents,
  ) {}

  async finalize(caseRow: ReviewCaseRow, verdict: FinalVerdict): Promise<void> {
    const outcome = outcomeOfLabels(verdict.labels);
    const decided = await this.cases.markDecided(caseRow.id, { finalOutcome: outcome, provenance: verdict.provenance, agreement: verdict.agreement });
    if (!decided) return;
    // A single review's case has no other task to close.
    if (caseRow.requiredReviews > 1 || caseRow.status === 'escalated') await this.tasks.cancelUnfinished(caseRow.id);
    const violating = verdict.labels.filter((l) => l.violating).map((l) => l.policyId);
    if (caseRow.source === 'appeal') {
      await this.settleAppeal(caseRow, outcome, verdict);
    } else {
      const from = outcome === 'removed' ? (['in_review', 'allowed'] as const) : (['in_review'] as const);
      const moved = await this.contents.transition(caseRow.contentId, [...from], outcome);
      const decision = await this.decisions.add({
        contentId: caseRow.contentId,
        outcome,
        source: 'human',
        reason: violating.length > 0 ? `${verdict.provenance.replace('_', ' ')}: ${violating.join(', ')} violating` : `${verdict.provenance.replace('_', ' ')}: no violation`,
        policyIds: violating,
        actorId: verdict.labellerId,
      });
      await this.webhooks.publishContentDecision(decision, { statusChanged: moved !== undefined });
      await this.matcher.feedback(caseRow.contentId, violating);
      if (outcome === 'removed') await this.bankRemoved(caseRow.contentId, violating);
    }
    await this.labels.add({
      contentId: caseRow.contentId,
      decisionId: verdict.decisionId,
      caseId: caseRow.id,
      labels: verdict.labels,
      outcome,
      provenance: verdict.provenance,
      agreement: verdict.agreement,
      moderatorIds: verdict.moderatorIds,
      labellerPassingGold: verdict.known ? verdict.known.labellerPassingGold : await this.gold.passing(verdict.labellerId),
      labellerId: verdict.labellerId,
      labelledAt: verdict.labelledAt,
      modelScores: scoreSnapshots(verdict.known?.scores ?? (await this.contents.findScores(caseRow.contentId))),
    });
  }

  /**
   * An appeal against a removal: upheld, the item stays removed; overturned,
   * it is reinstated, the overturn is recorded against the original
   * decision, and the bank entries made from this item stop matching.
   */
  private async settleAppeal(caseRow: ReviewCaseRow, outcome: 'removed' | 'allowed', verdict: FinalVerdict): Promise<void> {
    const appeal = (await this.reports.findAppeal(caseRow.appealId!))!;
    if (outcome === 'removed') {
      await this.reports.closeAppeal(appeal.id, 'upheld');
      const upheld = await this.decisions.add({
        contentId: caseRow.contentId,
        outcome: 'removed',
        source: 'human',
        reason: 'appeal upheld',
        policyIds: verdict.labels.filter((l) => l.violating).map((l) => l.policyId),
        actorId: verdict.labellerId,
      });
      await this.audit.record(null, 'appeal.upheld', { type: 'appeal', id: appeal.id }, { caseId: caseRow.id });
      await this.webhooks.publishContentDecision(upheld, { statusChanged: false });
      await this.webhooks.publish('appeal.decided', appealDecided(appeal, caseRow, 'upheld', upheld));
      return;
    }
    await this.reports.closeAppeal(appeal.id, 'overturned');
    const moved = await this.contents.transition(caseRow.contentId, ['removed'], 'allowed');
    const overturn = await this.decisions.add({
      contentId: caseRow.contentId,
      outcome: 'allowed',
      source: 'human',
      reason: `appeal overturned decision ${appeal.decisionId}`,
      policyIds: [],
      actorId: verdict.labellerId,
      overturnsDecisionId: appeal.decisionId,
    });
    await this.matcher.feedback(caseRow.contentId, []);
    await this.banks.disableEntriesOfContent(caseRow.contentId, `appeal ${appeal.id} overturned the removal`);
    await this.audit.record(null, 'appeal.overturned', { type: 'appeal', id: appeal.id }, { caseId: caseRow.id, decisionId: appeal.decisionId });
    await this.webhooks.publishContentDecision(overturn, { statusChanged: moved !== undefined, appealId: appeal.id });
    await this.webhooks.publish('appeal.decided', appealDecided(appeal, caseRow, 'overturned', overturn));
  }

  /** Banks the removed item's hashes, per violated policy, so that re-uploads are removed at ingest. */
  private async bankRemoved(contentId: string, policyIds: string[]): Promise<void> {
    const hashes = await this.contents.findHashes(contentId);
    const image = hashes.find((h) => h.signalType === 'pdq');
    const frames = hashes.filter((h) => h.signalType === 'vpdq');
    if (image) {
      await this.matcher.bankRemovedContent(contentId, policyIds, { signalType: 'pdq', hash: image.hash, quality: image.quality });
    } else if (frames.length > 0) {
      await this.matcher.bankRemovedContent(contentId, policyIds, {
        signalType: 'vpdq',
        // vPDQ compares frames one by one above the floor; the entry is as good as its best frame.
        quality: Math.max(...frames.map((f) => f.quality)),
        frames: frames.map((f) => ({ frameNumber: f.frameIndex ?? 0, quality: f.quality, pdq: f.hash, timestamp: f.timestampSeconds ?? 0 })),
      });
    }
  }
}
