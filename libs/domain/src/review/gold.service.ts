import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository, DecisionRepository, GoldItemRow, GoldItemStats, GoldRepository, ModeratorRepository, PolicyRepository, ReviewCaseRepository, ReviewQueueRow, ReviewTaskRepository, ReviewTaskRow, TrainingLabelRepository, TransactionManager } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import { maxSeverity } from './expected-harm';
import { checkLabels, outcomeOfLabels } from './label-rules';
import { scoreSnapshots } from './score-snapshots';
import { PolicyLabel, type Principal } from '@loupe/vocabulary';

/**
 * Gold checks: items with a known answer, injected into a queue at its gold
 * rate, looking like any other task. A moderator's answers are scored, and
 * whether they were passing at the time goes with every label they give.
 */
@Injectable()
export class GoldService {
  constructor(
    private readonly gold: GoldRepository,
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly policies: PolicyRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly tasks: ReviewTaskRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly moderators: ModeratorRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  /** Adds an item with its known answer; the answer is also a training label of provenance gold. */
  async create(contentId: string, answer: PolicyLabel[], actor: Principal): Promise<GoldItemRow> {
    const problems = checkLabels(await this.policies.list(), answer);
    if (problems.length > 0) throw ApiError.badRequest('review.invalid_labels', problems.join('; '), { problems });
    return this.transactions.run(async () => {
      const content = await this.contents.findById(contentId);
      if (!content) throw ApiError.notFound('content.not_found', `No content ${contentId}`);
      const item = await this.gold.create({ contentId, labels: answer, createdBy: actor.id });
      await this.labels.add({
        contentId,
        labels: answer,
        outcome: outcomeOfLabels(answer),
        provenance: 'gold',
        agreement: 1,
        moderatorIds: [],
        labellerId: actor.id,
        labelledAt: new Date(),
        modelScores: scoreSnapshots(await this.contents.findScores(contentId)),
      });
      await this.audit.record(actor, 'gold.create', { type: 'gold_item', id: item.id }, { contentId });
      return item;
    });
  }

  list(): Promise<GoldItemStats[]> {
    return this.gold.listWithStats();
  }

  async deactivate(id: string, actor: Principal): Promise<GoldItemRow> {
    return this.transactions.run(async () => {
      const row = await this.gold.deactivate(id);
      if (!row) throw ApiError.notFound('gold.not_found', `No gold item ${id}`);
      await this.audit.record(actor, 'gold.deactivate', { type: 'gold_item', id });
      return row;
    });
  }

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

  /** Whether the moderator passes gold checks now; null when they have answered none. */
  async passing(moderatorId: string): Promise<boolean | null> {
    const results = await this.moderators.recentGoldResults(moderatorId, this.config.review.goldWindow);
    if (results.length === 0) return null;
    return results.filter(Boolean).length / results.length >= this.config.review.goldPassRate;
  }
}
