import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, GoldItemRow, GoldItemStats, GoldRepository, PolicyRepository, TrainingLabelRepository, TransactionManager } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { checkLabels, outcomeOfLabels } from '../decisions/label-rules';
import { scoreSnapshots } from '../decisions/score-snapshots';
import { PolicyLabel, type Principal } from '@loupe/vocabulary';

/**
 * Gold checks: items with a known answer, injected into a queue at its gold
 * rate (GoldInjector), looking like any other task. A moderator's answers are
 * scored, and whether they were passing at the time (GoldStanding) goes with
 * every label they give. This service keeps the catalog of gold items.
 */
@Injectable()
export class GoldService {
  constructor(
    private readonly gold: GoldRepository,
    private readonly contents: ContentRepository,
    private readonly policies: PolicyRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
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
}
