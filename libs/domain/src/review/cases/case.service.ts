import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ContentRepository, ContentRow, PolicyRepository, ReviewCaseRepository, ReviewCaseRow, ReviewQueueRepository, ReviewTaskRepository } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { expectedHarm, maxSeverity } from './expected-harm';
import { bestKeyedQueue, CaseFacts, defaultQueueFor, firstMatchingRule, modelUncertain } from './queue-rules';
import { CaseSource, Severity } from '@loupe/vocabulary';

export interface OpenCaseInput {
  content: ContentRow;
  source: Exclude<CaseSource, 'gold'>;
  policyIds: string[];
  /** Policy scores the model gave, for the probability and score-band rules. */
  policyScores?: Record<string, number>;
  /** When there is no model score to go by, e.g. a report or a bank match. */
  probability?: number;
  reason: string;
  reports?: number;
  /** Moderators who must not review it (an appeal's original deciders). */
  excluded?: string[];
  appealId?: string;
  /** The queue to open it in, instead of what the routing rules pick (a trend's own queue, made for it). */
  queueId?: string;
}

/** A senior review of a case: its reviewers disagreed, or one of them escalated it. */
export const SENIOR_QUEUE = 'senior';

/**
 * A quality sample's case has no SLA of its own: its deadline only says when an
 * unreviewed sample counts as overdue, and the SLA monitor never moves it to the
 * front band (ReviewCaseRepository.markBreaches leaves samples out).
 */
const SAMPLE_DEADLINE_DAYS = 30;

/**
 * Opens review cases: routes each by the routing rules (data, editable through
 * the API), prices it as expected harm, sets its SLA deadline, decides how
 * many independent reviews it needs, and creates one task per review.
 */
@Injectable()
export class CaseService {
  constructor(
    private readonly cases: ReviewCaseRepository,
    private readonly tasks: ReviewTaskRepository,
    private readonly queues: ReviewQueueRepository,
    private readonly policies: PolicyRepository,
    private readonly contents: ContentRepository,
    private readonly audit: AuditService,
    private readonly config: LoupeConfig,
  ) {}

  /**
   * Opens a case, or, when the item already has an open one (a report came
   * first, say), merges into it: policies join, priority only rises.
   */
  async open(input: OpenCaseInput): Promise<ReviewCaseRow> {
    return (await this.openOrJoin(input)).caseRow;
  }

  /** As `open`, saying whether the item's live case absorbed the input. */
  async openOrJoin(input: OpenCaseInput): Promise<{ caseRow: ReviewCaseRow; merged: boolean }> {
    const live = input.source === 'appeal' ? undefined : await this.cases.findLive(input.content.id);
    // The item is in review already, for a reason: that review gives its labels, and asking it about every policy would reprice it.
    if (live && input.source === 'sample') return { caseRow: live, merged: true };
    if (live) return { caseRow: await this.merge(live, input), merged: true };
    return { caseRow: input.source === 'sample' ? await this.createSample(input) : await this.create(input), merged: false };
  }

  /**
   * A quality sample of what the model allowed: nothing points to harm, so it
   * is low severity (it stays offered to moderators at their exposure limit),
   * priority 0 (below any expected harm, so it never delays other work), one
   * review unless a routing rule asks more, and no SLA breach.
   */
  private createSample(input: OpenCaseInput): Promise<ReviewCaseRow> {
    return this.create(input, { severity: 'low', priority: 0, requiredReviews: 1, slaMinutes: SAMPLE_DEADLINE_DAYS * 24 * 60 });
  }

  private async create(
    input: OpenCaseInput,
    sample?: { severity: Severity; priority: number; requiredReviews: number; slaMinutes: number },
  ): Promise<ReviewCaseRow> {
    const policies = await this.policies.findByIds(input.policyIds);
    const severity = sample?.severity ?? maxSeverity(policies.map((p) => p.severity));
    const scores = input.policyIds.map((id) => input.policyScores?.[id]).filter((s): s is number => s !== undefined);
    const maxScore = scores.length > 0 ? Math.max(...scores) : null;
    const facts: CaseFacts = {
      source: input.source,
      policyIds: input.policyIds,
      maxScore,
      region: input.content.region,
      language: input.content.language,
      severity,
    };
    const rule = input.queueId ? null : firstMatchingRule(await this.queues.listRules(), facts);
    // Appeals keep to their own queue unless a rule says otherwise: a different moderator, a different lens.
    const keyed = rule || input.queueId || input.source === 'appeal' ? null : bestKeyedQueue(await this.queues.listQueues(), facts);
    const queueId = input.queueId ?? rule?.queueId ?? keyed ?? defaultQueueFor(input.source);
    const queue = (await this.queues.findQueue(queueId)) ?? (await this.queues.findQueue('default'))!;
    const uncertain = input.source === 'model' && modelUncertain(input.policyScores ?? {}, policies, this.config.review.consensusUncertainty);
    const needsConsensus = uncertain || policies.some((p) => p.requiresConsensus);
    // A sample asks about every policy, so a policy's own consensus rule (meant for cases suspected under it) does not apply.
    const requiredReviews = rule?.consensusReviews ?? sample?.requiredReviews ?? (needsConsensus ? Math.max(1, queue.consensusReviews) : 1);
    const priority = sample?.priority ?? expectedHarm({
      severity,
      probability: maxScore ?? input.probability ?? 0.5,
      views: input.content.views,
      viewsPerHour: input.content.viewVelocity,
      reports: input.reports ?? 0,
    });
    const row = await this.cases.create({
      contentId: input.content.id,
      queueId: queue.id,
      source: input.source,
      severity,
      policyIds: input.policyIds,
      reason: input.reason,
      priority,
      slaDeadline: new Date(Date.now() + (sample?.slaMinutes ?? queue.slaMinutes) * 60_000),
      requiredReviews,
      reportsCount: input.reports ?? 0,
      excludedModerators: input.excluded ?? [],
      appealId: input.appealId ?? null,
    });
    await this.tasks.createMany(
      Array.from({ length: requiredReviews }, () => ({
        caseId: row.id,
        contentId: row.contentId,
        queue: queue.id,
        priority,
        severity,
        seniorOnly: queue.seniorOnly,
        reason: input.source,
      })),
    );
    await this.audit.record(null, 'review.case.open', { type: 'review_case', id: row.id }, {
      contentId: row.contentId,
      source: input.source,
      queue: queue.id,
      rule: rule?.id ?? null,
      requiredReviews,
    });
    return row;
  }

  private async merge(live: ReviewCaseRow, input: OpenCaseInput): Promise<ReviewCaseRow> {
    const policyIds = [...new Set([...live.policyIds, ...input.policyIds])];
    // A sample asked about every policy; the severity is what the new reason suspects.
    const promoted = live.source === 'sample';
    const severity = maxSeverity((await this.policies.findByIds(promoted ? input.policyIds : policyIds)).map((p) => p.severity));
    const scores = input.policyIds.map((id) => input.policyScores?.[id]).filter((s): s is number => s !== undefined);
    const reports = live.reportsCount + (input.reports ?? 0);
    const priority = expectedHarm({
      severity,
      probability: scores.length > 0 ? Math.max(...scores) : (input.probability ?? 0.5),
      views: input.content.views,
      viewsPerHour: input.content.viewVelocity,
      reports,
    });
    // A report (or a model or viral re-check) on a sampled item makes the case that one's: its source, which the
    // transparency and misses reports read, and its queue's SLA, so that the sample's lack of one does not delay it.
    const promotion = promoted ? { source: input.source, slaDeadline: await this.deadlineIn(live.queueId) } : {};
    const merged = await this.cases.raisePriority(live.id, priority, { policyIds, severity, reportsCount: reports, ...promotion });
    await this.audit.record(null, 'review.case.merge', { type: 'review_case', id: live.id }, { source: input.source, reason: input.reason });
    return merged;
  }

  /**
   * Moves the items' cases that nobody has started into a queue, such as a
   * trend's, which its team works first; how many moved.
   */
  gather(contentIds: readonly string[], queueId: string): Promise<number> {
    return this.cases.moveUnstarted(contentIds, queueId);
  }

  /** Hands a case to a senior moderator: after a disagreement, or when a reviewer escalates it. */
  async escalate(caseRow: ReviewCaseRow, why: string): Promise<void> {
    const queue = (await this.queues.findQueue(SENIOR_QUEUE))!;
    await this.cases.markEscalated(caseRow.id);
    await this.tasks.createMany([
      {
        caseId: caseRow.id,
        contentId: caseRow.contentId,
        queue: queue.id,
        priority: caseRow.priority,
        severity: caseRow.severity,
        seniorOnly: true,
        reason: caseRow.source,
      },
    ]);
    await this.audit.record(null, 'review.escalate', { type: 'review_case', id: caseRow.id }, { why });
  }

  private async deadlineIn(queueId: string): Promise<Date> {
    const queue = (await this.queues.findQueue(queueId)) ?? (await this.queues.findQueue('default'))!;
    return new Date(Date.now() + queue.slaMinutes * 60_000);
  }

  /** Recomputes a case's priority from the item's current reach and reports. */
  async reprioritise(caseRow: ReviewCaseRow, content: ContentRow, probability: number): Promise<void> {
    // A sample stays last whatever its reach: reach alone sends an item to review through its virality tiers.
    if (caseRow.source === 'sample') return;
    await this.cases.setPriority(
      caseRow.id,
      expectedHarm({ severity: caseRow.severity as Severity, probability, views: content.views, viewsPerHour: content.viewVelocity, reports: caseRow.reportsCount }),
    );
  }

  async contentOf(caseRow: ReviewCaseRow): Promise<ContentRow> {
    return (await this.contents.findById(caseRow.contentId))!;
  }
}
