import { Injectable } from '@nestjs/common';
import { DecisionRepository, GoldRepository, PolicyRepository, ReviewCaseRepository, ReviewQueueRow, ReviewTaskRepository, ReviewTaskRow } from '@loupe/database';
import { maxSeverity } from '../cases/expected-harm';

/** Mixes gold items into the queues at claim time, unannounced. */
@Injectable()
export class GoldInjector {
  constructor(
    private readonly gold: GoldRepository,
    private readonly policies: PolicyRepository,
    private readonly decisions: DecisionRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly tasks: ReviewTaskRepository,
  ) {}

  /**
   * With the queue's gold rate as the chance, hands the moderator a gold
   * task instead of real work: a case and a task made for them, already leased.
   */
  async maybeInject(moderatorId: string, queue: ReviewQueueRow, leaseSeconds: number): Promise<ReviewTaskRow | null> {
    if (Math.random() >= queue.goldRate) return null;
    const item = await this.gold.pickUnseen(moderatorId);
    if (!item) return null;
    const severity = maxSeverity((await this.policies.findByIds(item.labels.map((l) => l.policyId))).map((p) => p.severity));
    // Priced like the task it stands in for, so that nothing on it gives it away.
    const priority = await this.tasks.topOpenPriority(queue.id);
    const machine = (await this.decisions.history(item.contentId)).find((d) => d.source !== 'human');
    const caseRow = await this.cases.create({
      contentId: item.contentId,
      queueId: queue.id,
      source: 'gold',
      severity,
      policyIds: item.labels.map((l) => l.policyId),
      reason: machine?.reason ?? 'model score in the review band',
      priority,
      slaDeadline: new Date(Date.now() + queue.slaMinutes * 60_000),
      requiredReviews: 1,
      excludedModerators: [moderatorId],
      goldItemId: item.id,
    });
    return this.tasks.createLeased(
      { caseId: caseRow.id, contentId: item.contentId, queue: queue.id, priority, severity, seniorOnly: false, reason: 'model' },
      moderatorId,
      leaseSeconds,
    );
  }
}
