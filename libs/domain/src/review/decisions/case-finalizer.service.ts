import { Injectable } from '@nestjs/common';
import { ContentRepository, DecisionRepository, ReviewCaseRepository, ReviewCaseRow, ReviewTaskRepository, TrainingLabelRepository } from '@loupe/database';
import { HashMatchService } from '../../matching/hash-match.service';
import { WebhookEvents } from '../../webhooks/webhook-events.service';
import { GoldStanding } from '../gold/gold-standing.service';
import { AppealSettlement } from './appeal-settlement.service';
import type { FinalVerdict } from './final-verdict';
import { outcomeOfLabels, withUnlabelledCleared } from './label-rules';
import { scoreSnapshots } from './score-snapshots';

/**
 * What a settled case changes: the item's status and decision history, the
 * banks (hash of removed media; feedback on matched entries), an appeal's
 * outcome (AppealSettlement's), and the training label with how it was reached.
 */
@Injectable()
export class CaseFinalizer {
  constructor(
    private readonly cases: ReviewCaseRepository,
    private readonly tasks: ReviewTaskRepository,
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly matcher: HashMatchService,
    private readonly gold: GoldStanding,
    private readonly webhooks: WebhookEvents,
    private readonly appeals: AppealSettlement,
  ) {}

  async finalize(caseRow: ReviewCaseRow, verdict: FinalVerdict): Promise<void> {
    const outcome = outcomeOfLabels(verdict.labels);
    const decided = await this.cases.markDecided(caseRow.id, { finalOutcome: outcome, provenance: verdict.provenance, agreement: verdict.agreement });
    if (!decided) return;
    // A single review's case has no other task to close.
    if (caseRow.requiredReviews > 1 || caseRow.status === 'escalated') await this.tasks.cancelUnfinished(caseRow.id);
    const violating = verdict.labels.filter((l) => l.violating).map((l) => l.policyId);
    if (caseRow.source === 'appeal') {
      await this.appeals.settle(caseRow, outcome, verdict);
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
      labels: caseRow.source === 'sample' ? withUnlabelledCleared(verdict.labels, caseRow.policyIds) : verdict.labels,
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
