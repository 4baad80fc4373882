import { Injectable } from '@nestjs/common';
import {
  ContentRepository,
  ContentRow,
  DecisionRepository,
  PolicyRepository,
  TransactionManager,
} from '@loupe/database';
import type { DecidedMatch } from '../matching/match-rules';
import { CaseService } from '../review/cases/case.service';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { routeByScores } from './routing-rules';

/** How much a bank match in a review bank says about a violation, for the review priority. */
const BANK_MATCH_PROBABILITY = 0.9;

function describeMatch(match: DecidedMatch): string {
  const where = `in bank ${match.bank.name} (entry ${match.entry.id})`;
  if (match.entry.signalType === 'vpdq') {
    return `vPDQ match ${where}: ${match.queryMatchPercent?.toFixed(1)}% of the video's frames, ${match.comparedMatchPercent?.toFixed(1)}% of the banked video's`;
  }
  return `PDQ match at distance ${match.distance} ${where}`;
}

/** Turns machine signals into one of removed, in_review or allowed, with its reason. */
@Injectable()
export class RoutingService {
  constructor(
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly policies: PolicyRepository,
    private readonly cases: CaseService,
    private readonly transactions: TransactionManager,
    private readonly webhooks: WebhookEvents,
  ) {}

  /**
   * Applies a bank match's action before any model or human sees the item:
   * a remove bank removes it, a review bank sends it straight to review.
   */
  async applyBankAction(content: ContentRow, match: DecidedMatch): Promise<boolean> {
    const outcome = match.bank.action === 'remove' ? 'removed' : 'in_review';
    const policyIds = match.bank.policyId ? [match.bank.policyId] : [];
    return this.transactions.run(async () => {
      const moved = await this.contents.transition(content.id, ['received', 'processing'], outcome);
      if (!moved) return false;
      const decision = await this.decisions.add({
        contentId: content.id,
        outcome,
        source: 'hash',
        reason: describeMatch(match),
        policyIds,
        bankEntryId: match.entry.id,
        matchDistance: match.distance,
      });
      await this.webhooks.publishContentDecision(decision, { statusChanged: true });
      if (outcome === 'in_review') {
        await this.cases.open({
          content: moved,
          source: 'hash',
          policyIds,
          probability: BANK_MATCH_PROBABILITY,
          reason: describeMatch(match),
        });
      }
      return true;
    });
  }

  /**
   * Routes by the model's policy scores, using the thresholds in force now,
   * so a threshold change applies to content processed after it.
   */
  async routeByModel(content: ContentRow, scores: { policyScores: Record<string, number>; modelVersion: string }): Promise<boolean> {
    return this.transactions.run(async () => {
      const route = routeByScores(await this.policies.list(), scores.policyScores);
      const moved = await this.contents.transition(content.id, ['processing'], route.outcome);
      if (!moved) return false;
      const decision = await this.decisions.add({
        contentId: content.id,
        outcome: route.outcome,
        source: 'model',
        reason: route.reason,
        policyIds: route.policyIds,
        modelVersion: scores.modelVersion,
        thresholds: route.thresholds,
      });
      await this.webhooks.publishContentDecision(decision, { statusChanged: true });
      if (route.outcome === 'in_review') {
        await this.cases.open({ content: moved, source: 'model', policyIds: route.policyIds, policyScores: scores.policyScores, reason: route.reason });
      }
      return true;
    });
  }
}
