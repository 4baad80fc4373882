import { Injectable } from '@nestjs/common';
import { AppealRow, ContentDecisionRow, ContentRepository, DecisionRepository, ReportRepository, ReviewCaseRow } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { BankService } from '../../matching/bank.service';
import { HashMatchService } from '../../matching/hash-match.service';
import type { AppealDecidedData } from '../../webhooks/webhook-event-catalog';
import { WebhookEvents } from '../../webhooks/webhook-events.service';
import type { FinalVerdict } from './final-verdict';

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
 * What the verdict on an appeal case changes: the appeal's outcome, the
 * item's status and decision history, the banks, and what the platform hears.
 * CaseFinalizer calls it, in the transaction of the deciding review.
 */
@Injectable()
export class AppealSettlement {
  constructor(
    private readonly reports: ReportRepository,
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly matcher: HashMatchService,
    private readonly banks: BankService,
    private readonly audit: AuditService,
    private readonly webhooks: WebhookEvents,
  ) {}

  /**
   * An appeal against a removal: upheld, the item stays removed; overturned,
   * it is reinstated, the overturn is recorded against the original
   * decision, and the bank entries made from this item stop matching.
   */
  async settle(caseRow: ReviewCaseRow, outcome: 'removed' | 'allowed', verdict: Pick<FinalVerdict, 'labels' | 'labellerId'>): Promise<void> {
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
}
