import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentRepository, PolicyRepository, ReportRepository, ReviewCaseRepository, TransactionManager } from '@loupe/database';
import { AuditService } from '../../../audit/audit.service';
import { CaseService } from '../case.service';
import { latestPerModel } from '../../decisions/score-snapshots';
import { assertEventTimeNotAhead } from '../../../content/event-time';
import type { Principal } from '@loupe/vocabulary';

export interface ReportResult {
  reportId: string;
  /** The review case the report joined or opened; null when the item was already removed. */
  caseId: string | null;
  /** True when an open case absorbed it (its priority rose). */
  merged: boolean;
}

/** A model's view of how likely a reported policy is violated, when it has one; a neutral prior when not. */
const REPORT_PRIOR = 0.5;

/** User reports: each one reaches review, and reports on the same item merge into one case. */
@Injectable()
export class ReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly contents: ContentRepository,
    private readonly policies: PolicyRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly caseService: CaseService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async report(contentId: string, input: { policyId: string; reason: string; reporterRef?: string; reportedAt?: Date }, actor: Principal): Promise<ReportResult> {
    assertEventTimeNotAhead(input.reportedAt, 'reportedAt', 'report.reported_at_future');
    const policy = await this.policies.findById(input.policyId);
    if (!policy) throw ApiError.badRequest('report.unknown_policy', `No policy ${input.policyId} in the catalog`);
    return this.transactions.run(async () => {
      const content = await this.contents.findById(contentId);
      if (!content) throw ApiError.notFound('content.not_found', `No content ${contentId}`);
      if (input.reportedAt && input.reportedAt < content.postedAt) {
        throw ApiError.badRequest('report.before_post', `reportedAt ${input.reportedAt.toISOString()} is before the item was posted (${content.postedAt.toISOString()})`, { field: 'reportedAt' });
      }
      const scores = latestPerModel(await this.contents.findScores(contentId));
      const probability = Math.max(REPORT_PRIOR, ...scores.map((s) => s.policyScores[input.policyId] ?? 0));
      // A removed or failed item has nothing left to review, unless a case is still open on it.
      const reviewable = content.status !== 'removed' && content.status !== 'failed';
      const opened =
        reviewable || (await this.cases.findLive(contentId))
          ? await this.caseService.openOrJoin({ content, source: 'report', policyIds: [input.policyId], probability, reason: `reported: ${input.reason}`, reports: 1 })
          : null;
      const caseId = opened?.caseRow.id ?? null;
      const merged = opened?.merged ?? false;
      const row = await this.reports.addReport({ contentId, policyId: input.policyId, reason: input.reason, reporterRef: input.reporterRef ?? null, caseId, ...(input.reportedAt ? { createdAt: input.reportedAt } : {}) });
      await this.audit.record(actor, 'report.create', { type: 'content', id: contentId }, { reportId: row.id, policyId: input.policyId, caseId, merged });
      return { reportId: row.id, caseId, merged };
    });
  }
}
