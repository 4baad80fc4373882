import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { AppealRow, ContentRepository, DecisionRepository, ReportRepository, ReviewCaseRepository, TransactionManager } from '@loupe/database';
import { AuditService } from '../../../audit/audit.service';
import { CaseService } from '../case.service';
import type { Principal } from '@loupe/vocabulary';

/**
 * Appeals, filed by the platform on a creator's behalf against a removal.
 * Another moderator than any who decided the item reviews it.
 */
@Injectable()
export class AppealService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly contents: ContentRepository,
    private readonly decisions: DecisionRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly caseService: CaseService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async create(contentId: string, statement: string, actor: Principal): Promise<AppealRow> {
    return this.transactions.run(async () => {
      const content = await this.contents.findById(contentId);
      if (!content) throw ApiError.notFound('content.not_found', `No content ${contentId}`);
      if (content.status !== 'removed') throw ApiError.conflict('appeal.not_removed', `Only removed content can be appealed; this item is ${content.status}`);
      if (await this.reports.openAppeal(contentId)) throw ApiError.conflict('appeal.exists', 'This item already has an open appeal');
      const decision = await this.decisions.latest(contentId);
      const appeal = await this.reports.createAppeal({ contentId, decisionId: decision!.id, statement });
      const deciders = (await this.cases.findByContent(contentId)).flatMap((c) => c.excludedModerators);
      const humanDecider = decision?.actorId ? [decision.actorId] : [];
      const caseRow = await this.caseService.open({
        content,
        source: 'appeal',
        policyIds: decision!.policyIds,
        probability: 1,
        reason: statement ? `appeal: ${statement}` : 'appeal',
        excluded: [...new Set([...deciders, ...humanDecider])],
        appealId: appeal.id,
      });
      await this.reports.setAppealCase(appeal.id, caseRow.id);
      await this.audit.record(actor, 'appeal.create', { type: 'appeal', id: appeal.id }, { contentId, decisionId: decision!.id, caseId: caseRow.id });
      return { ...appeal, caseId: caseRow.id };
    });
  }

  async list(contentId: string): Promise<AppealRow[]> {
    return this.reports.appealsOf(contentId);
  }
}
