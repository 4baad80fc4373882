import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { CaseSource, ContentKind, DecisionSource } from '@loupe/vocabulary';
import { appeals, contentDecisions, contentReports, contents, contentViewSamples, reviewCases } from '../schema';
import { RepositoryBase } from './repository.base';

/** One item's first removal, with what a transparency report counts about it. */
export interface RemovalRecord {
  contentId: string;
  decisionId: string;
  kind: ContentKind;
  region: string;
  language: string;
  policyIds: string[];
  source: DecisionSource;
  /** For a moderator's removal: what opened the case they decided (report, model, virality, appeal, gold). */
  caseSource: CaseSource | null;
  reason: string;
  /** When Loupe received it: times to action are Loupe's, measured from it. */
  uploadedAt: Date;
  /** When the user posted it (the DSA statement's content_date). */
  postedAt: Date;
  removedAt: Date;
  /** Whether a user report reached the item before its removal. */
  reportedBefore: boolean;
  /** The platform's last view count at or before the removal (0 when none had been sent). */
  viewsAtRemoval: number;
}

/** An appeal or a reinstatement in a period, with the removed item's policies and region. */
export interface AfterRemovalEvent {
  contentId: string;
  region: string;
  policyIds: string[];
  at: Date;
}

/**
 * What transparency reports are computed from: each item's first removal in
 * a period (a re-removal after an overturn is not a second item), and the
 * appeals and reinstatements of the period.
 */
@Injectable()
export class TransparencyRepository extends RepositoryBase {
  async removals(from: Date, to: Date): Promise<RemovalRecord[]> {
    const result = (await this.db.execute(sql`
      with firsts as (
        select distinct on (d.content_id) d.id, d.content_id, d.source, d.policy_ids, d.reason, d.created_at
        from ${contentDecisions} d
        where d.outcome = 'removed'
        order by d.content_id, d.created_at, d.id
      )
      select f.id as decision_id, f.content_id, f.source, f.policy_ids, f.reason, f.created_at as removed_at,
        c.kind, c.region, c.language, c.created_at as uploaded_at, c.posted_at,
        (select rc.source from ${reviewCases} rc where rc.content_id = f.content_id and rc.created_at <= f.created_at
          order by rc.created_at desc limit 1) as case_source,
        exists (select 1 from ${contentReports} r where r.content_id = f.content_id and r.created_at <= f.created_at) as reported_before,
        coalesce((select v.views from ${contentViewSamples} v where v.content_id = f.content_id and v.observed_at <= f.created_at
                  order by v.observed_at desc, v.id desc limit 1), 0) as views_at_removal
      from firsts f join ${contents} c on c.id = f.content_id
      where f.created_at >= ${from.toISOString()}::timestamptz and f.created_at < ${to.toISOString()}::timestamptz
      order by f.created_at, f.id`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((row) => ({
      contentId: String(row.content_id),
      decisionId: String(row.decision_id),
      kind: row.kind as ContentKind,
      region: String(row.region),
      language: String(row.language),
      policyIds: (row.policy_ids as string[] | null) ?? [],
      source: row.source as DecisionSource,
      caseSource: (row.case_source as CaseSource | null) ?? null,
      reason: String(row.reason),
      uploadedAt: new Date(row.uploaded_at as string),
      postedAt: new Date(row.posted_at as string),
      removedAt: new Date(row.removed_at as string),
      reportedBefore: Boolean(row.reported_before),
      viewsAtRemoval: Number(row.views_at_removal),
    }));
  }

  /** Appeals lodged in the period, with the policies of the removal they contest. */
  async appeals(from: Date, to: Date): Promise<AfterRemovalEvent[]> {
    const result = (await this.db.execute(sql`
      select a.content_id, c.region, d.policy_ids, a.created_at
      from ${appeals} a join ${contents} c on c.id = a.content_id left join ${contentDecisions} d on d.id = a.decision_id
      where a.created_at >= ${from.toISOString()}::timestamptz and a.created_at < ${to.toISOString()}::timestamptz`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map(toEvent);
  }

  /** Decisions of the period that overturned a removal: the item was put back. */
  async reinstatements(from: Date, to: Date): Promise<AfterRemovalEvent[]> {
    const result = (await this.db.execute(sql`
      select d.content_id, c.region, o.policy_ids, d.created_at
      from ${contentDecisions} d
      join ${contentDecisions} o on o.id = d.overturns_decision_id and o.outcome = 'removed'
      join ${contents} c on c.id = d.content_id
      where d.created_at >= ${from.toISOString()}::timestamptz and d.created_at < ${to.toISOString()}::timestamptz`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map(toEvent);
  }
}

function toEvent(row: Record<string, unknown>): AfterRemovalEvent {
  return { contentId: String(row.content_id), region: String(row.region), policyIds: (row.policy_ids as string[] | null) ?? [], at: new Date(row.created_at as string) };
}
