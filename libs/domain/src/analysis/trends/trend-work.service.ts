import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, ReviewQueueRepository, TransactionManager, TrendAlertRow, TrendRepository, TrendWorkRecord, WorkCandidateRecord } from '@loupe/database';
import type { CaseSource, Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { CaseService } from '../../review/cases/case.service';

export type TrendWorkKind = TrendWorkRecord['kind'];

export interface TrendWorkResult {
  alert: TrendAlertRow;
  work: TrendWorkRecord;
  /** Items already in a live case elsewhere: left in their queue, the trend added to the case's reasons. */
  alreadyInReview: number;
  /** Items a moderator has already decided: they have their human label. */
  alreadyDecided: number;
}

/**
 * Turns a trend into work: a review case for each of its items in a queue
 * of the trend's own, opened through CaseService so priority, SLA and
 * consensus are as for any case. A labelling batch is the same, in a queue
 * named as one: every human decision already becomes a training label
 * (training_labels, which the next dataset reads), so what makes it a batch
 * is that its items are the trend's and its queue says so; its queue id in
 * the alert's work record is how to find its labels. Each item is opened
 * once: an item a moderator already decided, or already in a live case, is
 * not opened again. The queues are keyed to no policy, language or region,
 * so routing never sends other cases to them.
 */
@Injectable()
export class TrendWorkService {
  constructor(
    private readonly trends: TrendRepository,
    private readonly contents: ContentRepository,
    private readonly queues: ReviewQueueRepository,
    private readonly cases: CaseService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  /** 404 trend.alert_not_found; 409 trend.work_exists when this kind of work was made from it already. */
  async makeWork(alertId: string, kind: TrendWorkKind, actor: Principal | null): Promise<TrendWorkResult> {
    return this.transactions.run(async () => {
      const alert = await this.trends.findAlert(alertId);
      if (!alert) throw ApiError.notFound('trend.alert_not_found', `No trend alert ${alertId}`);
      const existing = alert.work.find((w) => w.kind === kind);
      if (existing) throw ApiError.conflict('trend.work_exists', `A ${kind.replace('_', ' ')} was made from trend alert ${alertId} already: queue ${existing.queueId}`, { queueId: existing.queueId });
      const ids = Array.isArray(alert.evidence.contentIds) ? (alert.evidence.contentIds as string[]) : [];
      const candidates = await this.trends.workCandidates(ids);
      const open = candidates.filter((c) => !c.humanDecided && !c.liveCaseQueue);
      const queueId = `${kind === 'review_queue' ? 'trend' : 'label'}-${alert.id.slice(0, 8)}`;
      const work: TrendWorkRecord = { kind, queueId, items: open.length, at: new Date().toISOString() };
      // Taken first, conditionally: of two concurrent requests the second waits on the row, then finds the work and opens nothing.
      const updated = await this.trends.addWork(alert.id, work);
      if (!updated) throw ApiError.conflict('trend.work_exists', `A ${kind.replace('_', ' ')} was made from trend alert ${alertId} already`);
      await this.queues.upsertQueue({
        id: queueId,
        name: `${kind === 'review_queue' ? 'Trend' : 'Labelling batch'}: ${alert.subject}`.slice(0, 200),
        description: `The items of trend alert ${alert.id} (${alert.kind} ${alert.subject}, first seen ${alert.firstSeenAt.toISOString()})`,
      });
      const reason = `Trend alert ${alert.id}: ${alert.kind.replace('_', ' ')} ${alert.subject}`;
      for (const candidate of open) {
        const content = await this.contents.findById(candidate.contentId);
        if (!content) continue;
        await this.cases.open({ content, source: caseSourceOf(candidate), policyIds: alert.policyId ? [alert.policyId] : [], reason, queueId });
      }
      await this.audit.record(actor, 'analysis.trend.work', { type: 'trend_alert', id: alert.id }, { kind, queueId, items: open.length });
      return {
        alert: updated,
        work,
        alreadyInReview: candidates.filter((c) => !c.humanDecided && c.liveCaseQueue).length,
        alreadyDecided: candidates.filter((c) => c.humanDecided).length,
      };
    });
  }
}

/**
 * Cases keep the vocabulary's sources (reports, DSA statements and routing
 * rules read them): what flagged the item, with the trend in the reason.
 */
function caseSourceOf(candidate: WorkCandidateRecord): Exclude<CaseSource, 'gold'> {
  if (candidate.removedBy === 'model') return 'model';
  if (candidate.removedBy === 'hash') return 'hash';
  return candidate.reported ? 'report' : 'hash';
}
