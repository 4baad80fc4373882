import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { Outcome, PolicyLabel, ServingRole } from '@loupe/vocabulary';
import { contentDecisions, modelScores, trainingLabels } from '../schema';
import { RepositoryBase } from './repository.base';

/** One item the models decided during an experiment, with what each side scored and what the humans said later. */
export interface ExperimentItem {
  contentId: string;
  decidedAt: Date;
  outcome: Outcome;
  /** The policies the model decision named. */
  decisionPolicies: string[];
  /** The challenger's scores, and whether it ran as shadow or canary on this item; null when it did not score the item. */
  challenger: { role: ServingRole; scores: Record<string, number> } | null;
  /** Every row scored in the champion role for the item (the baseline model's and the registry champions'). */
  champion: { modelId: string; scores: Record<string, number> }[];
  /** The latest human label of the item, if one arrived. */
  labels: PolicyLabel[] | null;
}

/**
 * The items of a shadow or canary experiment: every model decision in its
 * window, joined to the challenger's scores, the champion's scores and the
 * latest human label, so that the report compares like with like.
 */
@Injectable()
export class ExperimentRepository extends RepositoryBase {
  /** Decisions from `from` until `to` (without end while the experiment runs), oldest first. */
  async items(modelName: string, version: number, from: Date, to: Date | null, limit: number): Promise<ExperimentItem[]> {
    const result = (await this.db.execute(sql`
      select d.content_id, d.created_at, d.outcome, d.policy_ids,
        ch.serving_role as challenger_role, ch.policy_scores as challenger_scores,
        (select coalesce(jsonb_agg(jsonb_build_object('modelId', s.model_id, 'scores', s.policy_scores)), '[]'::jsonb)
           from ${modelScores} s
           where s.content_id = d.content_id and s.serving_role = 'champion') as champion,
        (select l.labels from ${trainingLabels} l
           where l.content_id = d.content_id
           order by l.labelled_at desc, l.created_at desc limit 1) as labels
      from ${contentDecisions} d
      left join ${modelScores} ch
        on ch.content_id = d.content_id and ch.model_id = ${modelName} and ch.model_version = ${String(version)} and ch.serving_role <> 'champion'
      where d.source = 'model' and d.created_at >= ${from.toISOString()}::timestamptz
        ${to ? sql`and d.created_at < ${to.toISOString()}::timestamptz` : sql``}
      order by d.created_at, d.id
      limit ${limit}`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((row) => ({
      contentId: String(row.content_id),
      decidedAt: new Date(row.created_at as string),
      outcome: row.outcome as Outcome,
      decisionPolicies: (row.policy_ids as string[] | null) ?? [],
      challenger: row.challenger_role ? { role: row.challenger_role as ServingRole, scores: json(row.challenger_scores) } : null,
      champion: json<{ modelId: string; scores: Record<string, number> }[]>(row.champion),
      labels: row.labels === null || row.labels === undefined ? null : json<PolicyLabel[]>(row.labels),
    }));
  }
}

/** node-postgres parses jsonb; PGlite may hand back text. */
function json<T = Record<string, number>>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
