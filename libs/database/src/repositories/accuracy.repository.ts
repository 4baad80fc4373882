import { Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import type { LabelProvenance, PolicyLabel } from '@loupe/vocabulary';
import { apiKeys, goldItems, moderatorProfiles, reviewCases, reviewDecisions, reviewTasks, trainingLabels } from '../schema';
import { RepositoryBase } from './repository.base';

/** One moderator's decision, with what moderator accuracy needs about it: the case's policies and queue, the gold answer on a gold case. */
export interface ReviewRecord {
  decisionId: string;
  contentId: string;
  /** The queue of the task decided (a senior task's is the senior queue). */
  queueId: string;
  moderatorId: string;
  /** The moderator's team now ('default' without a profile): teams are read as they are, not as they were. */
  team: string;
  /** The policies the case asked about. */
  casePolicyIds: string[];
  labels: PolicyLabel[];
  /** The known answer, on a gold case. */
  gold: PolicyLabel[] | null;
  note: string | null;
  createdAt: Date;
}

/** The label that stands for an item: its latest training label, with the note of the decision that settled it. */
export interface SettledLabelRecord {
  contentId: string;
  labels: PolicyLabel[];
  provenance: LabelProvenance;
  /** The settling decision; null when it was deleted. */
  decisionId: string | null;
  labellerId: string;
  labelledAt: Date;
  note: string | null;
}

export interface ReviewFilter {
  /** Decisions made at or after. */
  from?: Date;
  /** Decisions made before. */
  to?: Date;
  /** Only decisions that could bear on this policy: the case asked about it, a label names it, or the gold answer does. */
  policyId?: string;
}

/**
 * What moderator accuracy is computed from: every review decision (gold or
 * not) with its case's policies and queue, and the label that stands for
 * each item reviewed.
 */
@Injectable()
export class AccuracyRepository extends RepositoryBase {
  async reviews(filter: ReviewFilter = {}): Promise<ReviewRecord[]> {
    const result = (await this.db.execute(sql`
      select rd.id, rd.content_id, rt.queue, rd.moderator_id, coalesce(mp.team, 'default') as team,
        array_to_json(rc.policy_ids) as policy_ids, rd.labels, g.labels as gold_labels, rd.note, ${epochMs(sql`rd.created_at`)} as created_ms
      from ${reviewDecisions} rd
      join ${reviewTasks} rt on rt.id = rd.task_id
      join ${reviewCases} rc on rc.id = rd.case_id
      left join ${goldItems} g on g.id = rc.gold_item_id
      left join ${moderatorProfiles} mp on mp.api_key_id = rd.moderator_id
      where ${this.matching(filter)}
      order by rd.created_at, rd.id`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((row) => ({
      decisionId: String(row.id),
      contentId: String(row.content_id),
      queueId: String(row.queue),
      moderatorId: String(row.moderator_id),
      team: String(row.team),
      casePolicyIds: jsonOf<string[]>(row.policy_ids) ?? [],
      labels: jsonOf<PolicyLabel[]>(row.labels) ?? [],
      gold: jsonOf<PolicyLabel[]>(row.gold_labels),
      note: (row.note as string | null) ?? null,
      createdAt: new Date(Number(row.created_ms)),
    }));
  }

  /** The label that stands (the latest) for each item reviewed under the filter, whenever it was given. */
  async settledLabels(filter: ReviewFilter = {}): Promise<SettledLabelRecord[]> {
    const result = (await this.db.execute(sql`
      select distinct on (tl.content_id) tl.content_id, tl.labels, tl.provenance, tl.decision_id, tl.labeller_id, ${epochMs(sql`tl.labelled_at`)} as labelled_ms, d.note
      from ${trainingLabels} tl
      left join ${reviewDecisions} d on d.id = tl.decision_id
      where tl.content_id in (${this.reviewedContents(filter)})
      order by tl.content_id, tl.labelled_at desc, tl.id desc`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((row) => ({
      contentId: String(row.content_id),
      labels: jsonOf<PolicyLabel[]>(row.labels) ?? [],
      provenance: row.provenance as LabelProvenance,
      decisionId: (row.decision_id as string | null) ?? null,
      labellerId: String(row.labeller_id),
      labelledAt: new Date(Number(row.labelled_ms)),
      note: (row.note as string | null) ?? null,
    }));
  }

  /** Whether an API key of role moderator has this id. */
  async moderatorExists(moderatorId: string): Promise<boolean> {
    const result = (await this.db.execute(sql`
      select 1 from ${apiKeys} k where k.id = ${moderatorId}::uuid and k.role = 'moderator'`)) as unknown as { rows: unknown[] };
    return result.rows.length > 0;
  }

  /** Moderators of the team (keys of role moderator with a profile naming it; 'default' also takes those without one). */
  async teamMembers(team: string): Promise<string[]> {
    const result = (await this.db.execute(sql`
      select k.id from ${apiKeys} k left join ${moderatorProfiles} mp on mp.api_key_id = k.id
      where k.role = 'moderator' and coalesce(mp.team, 'default') = ${team}
      order by k.id`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((row) => String(row.id));
  }

  /** The contents reviewed under the filter; the case and its gold answer are joined only when a policy needs them. */
  private reviewedContents(filter: ReviewFilter): SQL {
    if (!filter.policyId) return sql`select rd.content_id from ${reviewDecisions} rd where ${this.matching(filter)}`;
    return sql`
      select rd.content_id from ${reviewDecisions} rd
      join ${reviewCases} rc on rc.id = rd.case_id
      left join ${goldItems} g on g.id = rc.gold_item_id
      where ${this.matching(filter)}`;
  }

  // Aliases rd, rc and g must be in scope where this is used (rc and g only with a policy filter).
  private matching(filter: ReviewFilter): SQL {
    const parts: SQL[] = [sql`true`];
    if (filter.from) parts.push(sql`rd.created_at >= ${filter.from.toISOString()}::timestamptz`);
    if (filter.to) parts.push(sql`rd.created_at < ${filter.to.toISOString()}::timestamptz`);
    if (filter.policyId) {
      const named = JSON.stringify([{ policyId: filter.policyId }]);
      parts.push(sql`(${filter.policyId} = any(rc.policy_ids) or rd.labels @> ${named}::jsonb or coalesce(g.labels @> ${named}::jsonb, false))`);
    }
    return sql.join(parts, sql` and `);
  }
}

/**
 * A time as epoch milliseconds: a report reads one per decision, and a
 * number costs far less to parse than a timestamp's text (a Date keeps
 * milliseconds only in either case).
 */
const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

/** jsonb as PGlite and node-postgres return it: parsed already, or (through some paths) as text. */
function jsonOf<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
