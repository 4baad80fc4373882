import { Injectable, Logger } from '@nestjs/common';
import { PolicyRepository, RemovalRecord, TransparencyRepository } from '@loupe/database';
import { DsaBatchPayload, dsaBatches } from './dsa-batch';
import { DsaDecidedBy, DsaPolicyRef, DsaStatement, buildDsaStatement } from './dsa-statement';
import { validateDsaStatement } from './dsa-validate';
import { parseReportPeriod, ReportPeriod } from './report-period';
import { ALL, TransparencyRow, transparencyFigures } from './transparency-figures';

export interface TransparencyReport {
  period: ReportPeriod;
  rows: TransparencyRow[];
}

export interface TransparencyFilter {
  policyId?: string;
  country?: string;
}

/**
 * Transparency figures per period, policy and country, from Loupe's own
 * records: removals, how many were proactive, removed before any view and
 * within 24 hours, automated or reviewed, appeals and reinstatements; and
 * the removals as EU DSA statements of reasons.
 */
@Injectable()
export class TransparencyService {
  private readonly logger = new Logger(TransparencyService.name);

  constructor(
    private readonly records: TransparencyRepository,
    private readonly policies: PolicyRepository,
  ) {}

  async report(periodText: string, filter: TransparencyFilter = {}): Promise<TransparencyReport> {
    const period = parseReportPeriod(periodText);
    const [removals, appeals, reinstatements] = await Promise.all([
      this.records.removals(period.from, period.to),
      this.records.appeals(period.from, period.to),
      this.records.reinstatements(period.from, period.to),
    ]);
    const rows = transparencyFigures(removals, appeals, reinstatements).filter(
      (row) => (!filter.policyId || row.policyId === filter.policyId || row.policyId === ALL) && (!filter.country || row.country === filter.country || row.country === ALL),
    );
    return { period, rows };
  }

  /**
   * The period's removals as statements of reasons, in batches of up to 100
   * (the database's batch API). A removal decided on an appeal or a gold
   * item is not a new restriction and has none; a statement that would not
   * pass the database's validation is left out and logged.
   */
  dsaExport(periodText: string): { period: ReportPeriod; batches: AsyncGenerator<DsaBatchPayload> } {
    // Parsed now, so that a bad period is a 400 before anything is streamed.
    const period = parseReportPeriod(periodText);
    return { period, batches: this.dsaBatches(period) };
  }

  private async *dsaBatches(period: ReportPeriod): AsyncGenerator<DsaBatchPayload> {
    const catalog = new Map((await this.policies.list()).map((p) => [p.id, { id: p.id, title: p.title, description: p.description } satisfies DsaPolicyRef]));
    const statements: DsaStatement[] = [];
    for (const removal of await this.records.removals(period.from, period.to)) {
      const decidedBy = decidedByOf(removal);
      if (!decidedBy) continue;
      const statement = buildDsaStatement({
        contentId: removal.contentId,
        contentKind: removal.kind,
        contentCreatedAt: removal.postedAt,
        decidedAt: removal.removedAt,
        decidedBy,
        policies: removal.policyIds.map((id) => catalog.get(id) ?? { id, title: id }),
        region: removal.region,
        language: removal.language,
        facts: removal.reason,
      });
      const problems = validateDsaStatement(statement);
      if (problems.length > 0) {
        this.logger.warn(`No statement of reasons for ${removal.contentId}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
        continue;
      }
      statements.push(statement);
    }
    yield* dsaBatches(statements);
  }
}

function decidedByOf(removal: RemovalRecord): DsaDecidedBy | null {
  // A rule (a trend watch) only holds items for review: it never removes, so no statement is its.
  if (removal.source === 'rule') return null;
  if (removal.source !== 'human') return { source: removal.source };
  const caseSource = removal.caseSource ?? 'report';
  if (caseSource === 'appeal' || caseSource === 'gold') return null;
  return { source: 'human', caseSource };
}
