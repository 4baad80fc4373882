import { Injectable } from '@nestjs/common';
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { CaseSource, ContentKind, DecisionSource, Outcome, PolicyLabel, ServingRole, SignalType } from '@loupe/vocabulary';
import {
  bankHashItems,
  contentDecisions,
  contentHashes,
  contents,
  contentViewSamples,
  contentViralityTiers,
  goldItems,
  hashBankEntries,
  hashBanks,
  modelScores,
  retroHuntFindings,
  reviewCases,
} from '../schema';
import { RepositoryBase } from './repository.base';

/** Which content a missed-violations report looks at: its region, language and kind. */
export interface MissContentFilter {
  region?: string;
  language?: string;
  kind?: ContentKind;
}

export interface MissContentRecord {
  id: string;
  kind: ContentKind;
  region: string;
  language: string;
  uploadedAt: Date;
}

/** One routing outcome of an item, with what opened the case a moderator decided. */
export interface MissDecisionRecord {
  id: string;
  contentId: string;
  outcome: Outcome;
  source: DecisionSource;
  policyIds: string[];
  modelVersion: string | null;
  bankEntryId: string | null;
  matchDistance: number | null;
  actorId: string | null;
  thresholds: Record<string, { review: number; remove: number }> | null;
  /** For a moderator's decision: the source of the item's latest case opened at or before it. */
  caseSource: CaseSource | null;
  /** Whether a later decision overturned this one (an appeal upheld against a removal). */
  overturned: boolean;
  at: Date;
}

export interface MissScoreRecord {
  contentId: string;
  modelId: string;
  modelVersion: string;
  policyScores: Record<string, number>;
  servingRole: ServingRole;
  acted: boolean;
  at: Date;
}

export interface MissFindingRecord {
  contentId: string;
  huntId: string;
  outcome: string;
  policyIds: string[];
  modelVersion: string | null;
  score: number | null;
  bankEntryId: string | null;
  distance: number | null;
  at: Date;
}

export interface MissViralityRecord {
  contentId: string;
  tier: number;
  action: 'rescore' | 'review';
  outcome: string | null;
  /** When the re-check ran (null while pending): a removal it made falls at this moment. */
  at: Date | null;
}

export interface MissGoldRecord {
  goldItemId: string;
  contentId: string;
  labels: PolicyLabel[];
  at: Date;
}

export interface MissViewSample {
  contentId: string;
  views: number;
  at: Date;
}

/** Everything recorded about the items with a confirmation in a period, from their upload on. */
export interface MissHistory {
  contents: MissContentRecord[];
  decisions: MissDecisionRecord[];
  scores: MissScoreRecord[];
  findings: MissFindingRecord[];
  virality: MissViralityRecord[];
  gold: MissGoldRecord[];
  views: MissViewSample[];
}

export interface MissContentHash {
  contentId: string;
  signalType: SignalType;
  hash: string;
}

/** One banked PDQ hash (an image entry's, or one frame of a vPDQ entry's) of a block bank. */
export interface BankedHashRecord {
  itemId: number;
  entryId: string;
  signalType: SignalType;
  hash: string;
  entryContentId: string | null;
  entryCreatedAt: Date;
  entryEnabled: boolean;
  entryUpdatedAt: Date;
  quarantinedAt: Date | null;
  bankId: string;
  bankName: string;
  bankPolicyId: string | null;
  pdqDistance: number;
}

/** A count asked for by a what-if: items scored for a policy in [lower, upper). */
export interface ScoreRangeQuery {
  policyId: string;
  lower: number;
  upper: number;
}

type Rows = { rows: Record<string, unknown>[] };
const date = (value: unknown) => new Date(value as string);
const dateOrNull = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

/**
 * What the missed-violations rollup is computed from. A violation is
 * confirmed by a removal that was never overturned, a retro-hunt's removal,
 * or a gold answer; the rollup reads the whole history of the items whose
 * records changed (MissRollupRepository), and the pure code in
 * domain/analysis/misses decides which were missed first and why.
 */
@Injectable()
export class MissesRepository extends RepositoryBase {
  /** Everything recorded about these items, from their upload on. */
  async historyOf(confirmed: string[]): Promise<MissHistory> {
    if (confirmed.length === 0) return { contents: [], decisions: [], scores: [], findings: [], virality: [], gold: [], views: [] };
    const ids = sql`select unnest(${`{${confirmed.join(',')}}`}::uuid[])`;
    const [contentRows, decisionRows, scoreRows, findingRows, viralityRows, goldRows, viewRows] = await Promise.all([
      this.rows(sql`select c.id, c.kind, c.region, c.language, c.created_at from ${contents} c where c.id in (${ids})`),
      this.rows(sql`
        select d.id, d.content_id, d.outcome, d.source, d.policy_ids, d.model_version, d.bank_entry_id, d.match_distance, d.actor_id,
          d.thresholds, d.created_at,
          case when d.source = 'human' then (select rc.source from ${reviewCases} rc where rc.content_id = d.content_id and rc.created_at <= d.created_at
            order by rc.created_at desc limit 1) end as case_source,
          exists (select 1 from ${contentDecisions} o where o.overturns_decision_id = d.id) as overturned
        from ${contentDecisions} d where d.content_id in (${ids})
        order by d.content_id, d.created_at, d.id`),
      this.rows(sql`
        select s.content_id, s.model_id, s.model_version, s.policy_scores, s.serving_role, s.acted, s.created_at
        from ${modelScores} s where s.content_id in (${ids}) order by s.content_id, s.created_at`),
      this.rows(sql`
        select f.content_id, f.hunt_id, f.outcome, f.policy_ids, f.model_version, f.score, f.bank_entry_id, f.distance, f.created_at
        from ${retroHuntFindings} f where f.content_id in (${ids})`),
      this.rows(sql`
        select v.content_id, v.tier, v.action, v.outcome, v.checked_at from ${contentViralityTiers} v where v.content_id in (${ids})`),
      this.rows(sql`select g.id, g.content_id, g.labels, g.created_at from ${goldItems} g where g.active and g.content_id in (${ids})`),
      this.rows(sql`
        select v.content_id, v.views, v.observed_at from ${contentViewSamples} v where v.content_id in (${ids}) order by v.content_id, v.observed_at, v.id`),
    ]);
    return {
      contents: contentRows.map((r) => ({ id: String(r.id), kind: r.kind as ContentKind, region: String(r.region), language: String(r.language), uploadedAt: date(r.created_at) })),
      decisions: decisionRows.map((r) => ({
        id: String(r.id),
        contentId: String(r.content_id),
        outcome: r.outcome as Outcome,
        source: r.source as DecisionSource,
        policyIds: (r.policy_ids as string[] | null) ?? [],
        modelVersion: (r.model_version as string | null) ?? null,
        bankEntryId: (r.bank_entry_id as string | null) ?? null,
        matchDistance: numberOrNull(r.match_distance),
        actorId: (r.actor_id as string | null) ?? null,
        thresholds: r.thresholds === null || r.thresholds === undefined ? null : json(r.thresholds),
        caseSource: (r.case_source as CaseSource | null) ?? null,
        overturned: Boolean(r.overturned),
        at: date(r.created_at),
      })),
      scores: scoreRows.map((r) => ({
        contentId: String(r.content_id),
        modelId: String(r.model_id),
        modelVersion: String(r.model_version),
        policyScores: json<Record<string, number>>(r.policy_scores),
        servingRole: r.serving_role as ServingRole,
        acted: Boolean(r.acted),
        at: date(r.created_at),
      })),
      findings: findingRows.map((r) => ({
        contentId: String(r.content_id),
        huntId: String(r.hunt_id),
        outcome: String(r.outcome),
        policyIds: (r.policy_ids as string[] | null) ?? [],
        modelVersion: (r.model_version as string | null) ?? null,
        score: numberOrNull(r.score),
        bankEntryId: (r.bank_entry_id as string | null) ?? null,
        distance: numberOrNull(r.distance),
        at: date(r.created_at),
      })),
      virality: viralityRows.map((r) => ({
        contentId: String(r.content_id),
        tier: Number(r.tier),
        action: r.action as 'rescore' | 'review',
        outcome: (r.outcome as string | null) ?? null,
        at: dateOrNull(r.checked_at),
      })),
      gold: goldRows.map((r) => ({ goldItemId: String(r.id), contentId: String(r.content_id), labels: json<PolicyLabel[]>(r.labels), at: date(r.created_at) })),
      views: viewRows.map((r) => ({ contentId: String(r.content_id), views: Number(r.views), at: date(r.observed_at) })),
    };
  }

  /** The perceptual hashes of a few items (the missed cohort). */
  async contentHashes(contentIds: string[]): Promise<MissContentHash[]> {
    if (contentIds.length === 0) return [];
    const rows = await this.db
      .select({ contentId: contentHashes.contentId, signalType: contentHashes.signalType, hash: contentHashes.hash })
      .from(contentHashes)
      .where(inArray(contentHashes.contentId, contentIds));
    return rows;
  }

  /**
   * A page of the PDQ hashes of block banks' entries added before `before`,
   * in item id order. Disabled and quarantined entries are included, with
   * when they last changed, so that the caller can tell which were live at
   * the time an item was let through.
   */
  async bankedHashes(before: Date, afterItemId: number, limit: number): Promise<BankedHashRecord[]> {
    const rows = await this.rows(sql`
      select i.id, i.entry_id, i.hash, e.signal_type, e.content_id, e.created_at, e.enabled, e.updated_at, e.quarantined_at,
        b.id as bank_id, b.name as bank_name, b.policy_id, b.pdq_distance
      from ${bankHashItems} i
      join ${hashBankEntries} e on e.id = i.entry_id
      join ${hashBanks} b on b.id = e.bank_id
      where b.kind = 'block' and e.created_at < ${before.toISOString()}::timestamptz and i.id > ${afterItemId}
      order by i.id limit ${limit}`);
    return rows.map((r) => ({
      itemId: Number(r.id),
      entryId: String(r.entry_id),
      signalType: r.signal_type as SignalType,
      hash: String(r.hash),
      entryContentId: (r.content_id as string | null) ?? null,
      entryCreatedAt: date(r.created_at),
      entryEnabled: Boolean(r.enabled),
      entryUpdatedAt: date(r.updated_at),
      quarantinedAt: dateOrNull(r.quarantined_at),
      bankId: String(r.bank_id),
      bankName: String(r.bank_name),
      bankPolicyId: (r.policy_id as string | null) ?? null,
      pdqDistance: Number(r.pdq_distance),
    }));
  }

  /**
   * For each range, the acting scores of the policy in [lower, upper) given
   * in the period: the reviews a threshold of `lower` would have added to
   * one of `upper` (each routing that fell there would have opened one).
   * One pass over the period's scores, for every range at once.
   */
  async countScoredBetween(from: Date, to: Date, ranges: ScoreRangeQuery[], filter: MissContentFilter = {}): Promise<number[]> {
    if (ranges.length === 0) return [];
    const policies = [...new Set(ranges.map((r) => r.policyId))];
    const column = (i: number) => sql.raw(`v${i}`);
    const values = policies.map((p, i) => sql`(s.policy_scores ->> ${p}::text)::float8 as ${column(i)}`);
    const counts = ranges.map((r, i) => {
      const v = column(policies.indexOf(r.policyId));
      return sql`count(*) filter (where x.${v} >= ${r.lower}::float8 and x.${v} < ${r.upper}::float8) as ${sql.raw(`r${i}`)}`;
    });
    // Every score's item is a content (a foreign key), so only a filter needs the contents.
    const inFilter = filter.region || filter.language || filter.kind ? sql`and s.content_id in (select c.id from ${contents} c where ${this.contentFilter(filter)})` : sql``;
    const [row] = await this.rows(sql`
      select ${sql.join(counts, sql`, `)}
      from (
        select ${sql.join(values, sql`, `)}
        from ${modelScores} s
        where s.acted and s.created_at >= ${from.toISOString()}::timestamptz and s.created_at < ${to.toISOString()}::timestamptz ${inFilter}
        offset 0
      ) x`);
    return ranges.map((_, i) => Number(row?.[`r${i}`] ?? 0));
  }

  private contentFilter(filter: MissContentFilter): SQL {
    const conditions: SQL[] = [sql`true`];
    if (filter.region) conditions.push(sql`c.region = ${filter.region}`);
    if (filter.language) conditions.push(sql`c.language = ${filter.language}`);
    if (filter.kind) conditions.push(sql`c.kind = ${filter.kind}`);
    return sql.join(conditions, sql` and `);
  }

  private async rows(query: SQL): Promise<Record<string, unknown>[]> {
    return ((await this.db.execute(query)) as unknown as Rows).rows;
  }
}
