import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, ReviewQueueRepository, TransactionManager, TrendAlertRow, TrendRepository, TrendWorkRecord, WorkCandidateRecord } from '@loupe/database';
import type { CaseSource, Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { CaseService } from '../../review/cases/case.service';
import { TrendWatches } from '../../content/trend-watches';

export type TrendWorkKind = TrendWorkRecord['kind'];

/** How long a watch holds new uploads unless asked otherwise: three days, long enough for a retraining or two to learn the trend. */
export const DEFAULT_WATCH_HOURS = 72;
export const MAX_WATCH_HOURS = 720;

export interface TrendWorkResult {
  alert: TrendAlertRow;
  work: TrendWorkRecord;
  /** Items already in a live case elsewhere (not opened again). */
  alreadyInReview: number;
  /** Items a moderator has already decided: they have their human label. */
  alreadyDecided: number;
  /**
   * Of the items already in review, those whose case nobody had started,
   * moved into the trend's queue (a review queue or a watch), so that the
   * trend's work is in one place and worked first.
   */
  gathered: number;
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
 *
 * A watch looks forward instead: until it ends, ingest holds for review, in
 * the trend's queue, every new upload that carries the term and that the
 * models would allow (RoutingService, TrendWatches). It is how a team keeps
 * a new harm from being seen while the models have no labels of it; the
 * decisions on the held items are those labels.
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
    private readonly watches: TrendWatches,
  ) {}

  /**
   * 404 trend.alert_not_found; 409 trend.work_exists when this kind of work was made from it already;
   * 400 trend.watch_kind when a watch is asked of an alert that is not a term burst.
   */
  async makeWork(alertId: string, kind: TrendWorkKind, actor: Principal | null, watchHours = DEFAULT_WATCH_HOURS): Promise<TrendWorkResult> {
    if (kind === 'watch' && !(Number.isInteger(watchHours) && watchHours >= 1 && watchHours <= MAX_WATCH_HOURS)) {
      throw ApiError.badRequest('request.invalid', `hours must be a whole number from 1 to ${MAX_WATCH_HOURS}`, { field: 'hours' });
    }
    const result = await this.transactions.run(async () => {
      const alert = await this.trends.findAlert(alertId);
      if (!alert) throw ApiError.notFound('trend.alert_not_found', `No trend alert ${alertId}`);
      if (kind === 'watch' && alert.kind !== 'term_burst') throw ApiError.badRequest('trend.watch_kind', `Only a term burst can be watched: alert ${alertId} is a ${alert.kind.replace('_', ' ')}`, { kind: alert.kind });
      const existing = alert.work.find((w) => w.kind === kind);
      if (existing) throw ApiError.conflict('trend.work_exists', `A ${kind.replace('_', ' ')} was made from trend alert ${alertId} already: queue ${existing.queueId}`, { queueId: existing.queueId });
      return kind === 'watch' ? this.watch(alert, watchHours, actor) : this.queueItems(alert, kind, actor);
    });
    // Ingest reads the watches afresh at once in this process.
    if (kind === 'watch') this.watches.invalidate();
    return result;
  }

  /** A case for each item of the alert not yet decided or in review, in a queue of the trend's own (or the batch's). */
  private async queueItems(alert: TrendAlertRow, kind: Exclude<TrendWorkKind, 'watch'>, actor: Principal | null): Promise<TrendWorkResult> {
    const candidates = await this.trends.workCandidates(alertItems(alert));
    const open = candidates.filter((c) => !c.humanDecided && !c.liveCaseQueue);
    const queueId = `${kind === 'review_queue' ? 'trend' : 'label'}-${alert.id.slice(0, 8)}`;
    const work: TrendWorkRecord = { kind, queueId, items: open.length, at: new Date().toISOString() };
    const updated = await this.addWork(alert, work, kind === 'review_queue' ? 'Trend' : 'Labelling batch');
    const reason = `Trend alert ${alert.id}: ${alert.kind.replace('_', ' ')} ${alert.subject}`;
    for (const candidate of open) {
      const content = await this.contents.findById(candidate.contentId);
      if (!content) continue;
      await this.cases.open({ content, source: caseSourceOf(candidate), policyIds: alert.policyId ? [alert.policyId] : [], reason, queueId });
    }
    const inReview = candidates.filter((c) => !c.humanDecided && c.liveCaseQueue);
    // A labelling batch is about labels, not urgency: what waits elsewhere stays there.
    const gathered = kind === 'review_queue' ? await this.cases.gather(inReview.map((c) => c.contentId), queueId) : 0;
    await this.audit.record(actor, 'analysis.trend.work', { type: 'trend_alert', id: alert.id }, { kind, queueId, items: open.length, gathered });
    return { alert: updated, work, alreadyInReview: inReview.length, alreadyDecided: candidates.filter((c) => c.humanDecided).length, gathered };
  }

  /** A watch on new uploads, in the trend's own queue (a review queue made from it shares it): what it holds is the same trend's work. */
  private async watch(alert: TrendAlertRow, hours: number, actor: Principal | null): Promise<TrendWorkResult> {
    const at = new Date();
    const queueId = `trend-${alert.id.slice(0, 8)}`;
    const work: TrendWorkRecord = { kind: 'watch', queueId, items: 0, at: at.toISOString(), until: new Date(at.getTime() + hours * 3_600_000).toISOString() };
    const updated = await this.addWork(alert, work, 'Trend');
    // The trend's items the models already sent to review join what the watch will hold.
    const gathered = await this.cases.gather(alertItems(alert), queueId);
    await this.audit.record(actor, 'analysis.trend.work', { type: 'trend_alert', id: alert.id }, { kind: 'watch', queueId, until: work.until, subject: alert.subject, gathered });
    return { alert: updated, work, alreadyInReview: 0, alreadyDecided: 0, gathered };
  }

  /** Records the work on the alert and makes its queue. */
  private async addWork(alert: TrendAlertRow, work: TrendWorkRecord, queueName: string): Promise<TrendAlertRow> {
    // Taken first, conditionally: of two concurrent requests the second waits on the row, then finds the work and opens nothing.
    const updated = await this.trends.addWork(alert.id, work);
    if (!updated) throw ApiError.conflict('trend.work_exists', `A ${work.kind.replace('_', ' ')} was made from trend alert ${alert.id} already`);
    await this.queues.upsertQueue({
      id: work.queueId,
      name: `${queueName}: ${alert.subject}`.slice(0, 200),
      description: `The items of trend alert ${alert.id} (${alert.kind} ${alert.subject}, first seen ${alert.firstSeenAt.toISOString()})`,
    });
    return updated;
  }
}

/** The alert's items, oldest first, as its scan kept them. */
function alertItems(alert: TrendAlertRow): string[] {
  return Array.isArray(alert.evidence.contentIds) ? (alert.evidence.contentIds as string[]) : [];
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
