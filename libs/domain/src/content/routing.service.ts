import { Injectable } from '@nestjs/common';
import {
  BankMatch,
  ContentRepository,
  ContentRow,
  DecisionRepository,
  ModelScoreRow,
  PolicyRepository,
  ReviewTaskRepository,
  TransactionManager,
} from '@loupe/database';
import { routeByScores } from './routing-rules';

/** Turns machine signals into one of removed, in_review or allowed, with its reason. */
@Injectable()
export class RoutingService {
  constructor(
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly policies: PolicyRepository,
    private readonly tasks: ReviewTaskRepository,
    private readonly transactions: TransactionManager,
  ) {}

  /** A bank match removes the item before anyone sees it. */
  async removeByHash(content: ContentRow, match: BankMatch): Promise<boolean> {
    return this.transactions.run(async () => {
      const moved = await this.contents.transition(content.id, ['received', 'processing'], 'removed');
      if (!moved) return false;
      await this.decisions.add({
        contentId: content.id,
        outcome: 'removed',
        source: 'hash',
        reason: `PDQ match at distance ${match.distance} in bank ${match.bankName}`,
        policyIds: match.policyId ? [match.policyId] : [],
        bankEntryId: match.entryId,
        matchDistance: match.distance,
      });
      return true;
    });
  }

  /**
   * Routes by the model's policy scores, using the thresholds in force now,
   * so a threshold change applies to content processed after it.
   */
  async routeByModel(content: ContentRow, scores: ModelScoreRow): Promise<boolean> {
    return this.transactions.run(async () => {
      const route = routeByScores(await this.policies.list(), scores.policyScores);
      const moved = await this.contents.transition(content.id, ['processing'], route.outcome);
      if (!moved) return false;
      await this.decisions.add({
        contentId: content.id,
        outcome: route.outcome,
        source: 'model',
        reason: route.reason,
        policyIds: route.policyIds,
        modelVersion: `${scores.modelId}@${scores.modelVersion}`,
        thresholds: route.thresholds,
      });
      if (route.outcome === 'in_review') {
        await this.tasks.openOrMerge({ contentId: content.id, queue: 'default', priority: route.priority, reason: 'model_uncertain' });
      }
      return true;
    });
  }
}
