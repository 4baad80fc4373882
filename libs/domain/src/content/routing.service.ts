import { Injectable, Optional } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import {
  ActiveWatchRecord,
  ContentRepository,
  ContentRow,
  DecisionRepository,
  PolicyRow,
  TransactionManager,
} from '@loupe/database';
import { LoupeMetrics } from '@loupe/metrics';
import type { CaseSource, ContentStatus, Outcome } from '@loupe/vocabulary';
import type { DecidedMatch } from '../matching/match-rules';
import { CaseService } from '../review/cases/case.service';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { recordFirstDecision } from './decision-metrics';
import { inQualitySample } from './quality-sample';
import { RouteDecision, routeByScores } from './routing-rules';
import { TrendWatches } from './trend-watches';

/** How much a bank match in a review bank says about a violation, for the review priority. */
const BANK_MATCH_PROBABILITY = 0.9;

function describeMatch(match: DecidedMatch): string {
  const where = `in bank ${match.bank.name} (entry ${match.entry.id})`;
  if (match.entry.signalType === 'vpdq') {
    return `vPDQ match ${where}: ${match.queryMatchPercent?.toFixed(1)}% of the video's frames, ${match.comparedMatchPercent?.toFixed(1)}% of the banked video's`;
  }
  return `PDQ match at distance ${match.distance} ${where}`;
}

/** What a re-check may do: anything new content would ('review'), or only remove ('removed'). */
export type RecheckAction = 'review' | 'removed';

/** Whether a re-check of allowed content acts on a route: an allowed route changes nothing, and with 'removed' only a removal acts. */
export function recheckActs(outcome: Outcome, actOn: RecheckAction): boolean {
  return outcome !== 'allowed' && (actOn !== 'removed' || outcome === 'removed');
}

/** What a re-check of allowed content did. */
export interface RecheckResult {
  outcome: Outcome;
  policyIds: string[];
  caseId: string | null;
}

/**
 * Scores to route by: per policy the deciding model's score, the deciding
 * models, and the policy catalog the scores were computed against
 * (ItemScoring's, read as the item was scored), whose thresholds decide.
 */
export interface RoutedScores {
  policyScores: Record<string, number>;
  modelVersion: string;
  catalog: PolicyRow[];
}

/** Turns machine signals into one of removed, in_review or allowed, with its reason. */
@Injectable()
export class RoutingService {
  constructor(
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly cases: CaseService,
    private readonly transactions: TransactionManager,
    private readonly webhooks: WebhookEvents,
    private readonly config: LoupeConfig,
    private readonly watches: TrendWatches,
    @Optional() private readonly metrics?: LoupeMetrics,
  ) {}

  /**
   * Applies a bank match's action before any model or human sees the item:
   * a remove bank removes it, a review bank sends it straight to review.
   */
  async applyBankAction(content: ContentRow, match: DecidedMatch): Promise<boolean> {
    return (await this.actOnMatch(content, match, ['received', 'processing'], '')) !== null;
  }

  /**
   * A re-check of allowed content (a viral tier, a retro-hunt) found a bank
   * match: it acts as it would at ingest, the reason saying what found it.
   * Null when the item is no longer allowed (someone acted first).
   */
  async recheckMatch(content: ContentRow, match: DecidedMatch, origin: string): Promise<RecheckResult | null> {
    return this.actOnMatch(content, match, ['allowed'], `${origin}: `);
  }

  private async actOnMatch(content: ContentRow, match: DecidedMatch, from: ContentStatus[], prefix: string): Promise<RecheckResult | null> {
    const outcome = match.bank.action === 'remove' ? 'removed' : 'in_review';
    const policyIds = match.bank.policyId ? [match.bank.policyId] : [];
    return this.transactions.run(async () => {
      const moved = await this.contents.transition(content.id, from, outcome);
      if (!moved) return null;
      // Counted once committed (a rolled-back decision did not happen); a re-check of allowed content is not a first decision.
      if (!from.includes('allowed')) this.transactions.afterCommit(() => recordFirstDecision(this.metrics, moved, outcome, 'hash'));
      const decision = await this.decisions.add({
        contentId: content.id,
        outcome,
        source: 'hash',
        reason: prefix + describeMatch(match),
        policyIds,
        bankEntryId: match.entry.id,
        matchDistance: match.distance,
      });
      await this.webhooks.publishContentDecision(decision, { statusChanged: true });
      let caseId: string | null = null;
      if (outcome === 'in_review') {
        caseId = (
          await this.cases.open({
            content: moved,
            source: 'hash',
            policyIds,
            probability: BANK_MATCH_PROBABILITY,
            reason: prefix + describeMatch(match),
          })
        ).id;
      }
      return { outcome, policyIds, caseId };
    });
  }

  /**
   * Routes by the model's policy scores, using the thresholds in force when
   * the item was scored, so a threshold change applies to content scored after it.
   */
  async routeByModel(content: ContentRow, scores: RoutedScores): Promise<boolean> {
    return (await this.routeScores(content, scores, ['processing'], '', 'allowed')) !== null;
  }

  /**
   * A re-check of allowed content scored it anew: when today's thresholds
   * remove it or send it to review, that is decided as at ingest. Null when
   * the scores still allow it, or the item is no longer allowed.
   */
  async recheckScores(
    content: ContentRow,
    scores: RoutedScores,
    origin: string,
    /** What opened the case if it goes to review: a viral re-check's case is a virality case, with reach in its priority. */
    caseSource: Exclude<CaseSource, 'gold'> = 'model',
    /** 'removed': act only where the scores remove; what they would send to review stays allowed. */
    actOn: RecheckAction = 'review',
  ): Promise<RecheckResult | null> {
    return this.routeScores(content, scores, ['allowed'], `${origin}: `, null, caseSource, actOn);
  }

  private async routeScores(
    content: ContentRow,
    scores: RoutedScores,
    from: ContentStatus[],
    prefix: string,
    /** Whether an "allowed" route is itself decided (ingest) or means nothing changes (a re-check). */
    allowedOutcome: 'allowed' | null,
    caseSource: Exclude<CaseSource, 'gold'> = 'model',
    actOn: RecheckAction = 'review',
  ): Promise<RecheckResult | null> {
    return this.transactions.run(async () => {
      const route = routeByScores(scores.catalog, scores.policyScores);
      if (allowedOutcome === null && !recheckActs(route.outcome, actOn)) return null;
      // What carries the term of a watched trend: held for people if the models allow it, and in the watch's queue if
      // they send it to review, so that the trend's work is in the queue its team works first.
      const watch = route.outcome === 'allowed' || route.outcome === 'in_review' ? await this.watches.match(content) : null;
      if (watch && route.outcome === 'allowed') return this.holdForWatch(content, from, route, scores, watch);
      const moved = await this.contents.transition(content.id, from, route.outcome);
      if (!moved) return null;
      // As for a bank match: after commit, and only on the way in.
      if (!from.includes('allowed')) this.transactions.afterCommit(() => recordFirstDecision(this.metrics, moved, route.outcome, 'model'));
      const decision = await this.decisions.add({
        contentId: content.id,
        outcome: route.outcome,
        source: 'model',
        reason: prefix + route.reason,
        policyIds: route.policyIds,
        modelVersion: scores.modelVersion,
        thresholds: route.thresholds,
      });
      await this.webhooks.publishContentDecision(decision, { statusChanged: true });
      let caseId: string | null = null;
      if (route.outcome === 'in_review') {
        const queueId = watch?.queueId;
        caseId = (await this.cases.open({ content: moved, source: caseSource, policyIds: route.policyIds, policyScores: scores.policyScores, reason: prefix + route.reason, queueId })).id;
      } else if (route.outcome === 'allowed' && inQualitySample(content.id, this.config.review.sampleRate)) {
        // A share of what the model allows goes to people too, the item staying allowed: what they find is what the model
        // misses, and what they clear is the "not violating" labels training needs. Every policy is asked, so each gets one.
        // In this transaction, and chosen by the id: a retried job finds the item moved already, and would choose the same.
        caseId = (
          await this.cases.open({
            content: moved,
            source: 'sample',
            policyIds: scores.catalog.map((p) => p.id),
            policyScores: scores.policyScores,
            reason: `quality sample (REVIEW_SAMPLE_RATE ${this.config.review.sampleRate}): ${route.reason}`,
          })
        ).id;
      }
      return { outcome: route.outcome, policyIds: route.policyIds, caseId };
    });
  }

  /** In routeScores' transaction: held in review by the watch's rule, in the watch's queue, under its trend's policy. */
  private async holdForWatch(
    content: ContentRow,
    from: ContentStatus[],
    route: RouteDecision,
    scores: RoutedScores,
    watch: ActiveWatchRecord,
  ): Promise<RecheckResult | null> {
    const moved = await this.contents.transition(content.id, from, 'in_review');
    if (!moved) return null;
    this.transactions.afterCommit(() => recordFirstDecision(this.metrics, moved, 'in_review', 'rule'));
    const policyIds = watch.policyId ? [watch.policyId] : [];
    const reason = `held for review: it carries ${watch.subject}, a trend watched until ${watch.until.toISOString()} (alert ${watch.alertId}); the models alone: ${route.reason}`;
    const decision = await this.decisions.add({ contentId: content.id, outcome: 'in_review', source: 'rule', reason, policyIds, modelVersion: scores.modelVersion, thresholds: route.thresholds });
    await this.webhooks.publishContentDecision(decision, { statusChanged: true });
    const caseRow = await this.cases.open({ content: moved, source: 'trend', policyIds, policyScores: scores.policyScores, reason, queueId: watch.queueId });
    return { outcome: 'in_review', policyIds, caseId: caseRow.id };
  }
}
