import { Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import { analysisDirtyContents, analysisDirtyScoreDays, analysisRollupMarks, missViolations, modelScores, scoreDayBins } from '../schema';
import type { MissContentFilter, ScoreRangeQuery } from './misses.repository';
import { RepositoryBase } from './repository.base';

/** One confirmed violation as the rollup keeps it; `record` and `nearest` are the domain's, serialised. */
export interface StoredViolation {
  contentId: string;
  policyId: string;
  confirmedAt: Date;
  kind: string;
  region: string;
  language: string;
  missed: boolean;
  record: Record<string, unknown>;
  nearest: Record<string, unknown> | null;
}

const SCORE_BINS = 'score_day_bins';
/** A score's bin: its hundredths, from the JSON number's own digits (so a bin's bounds compare as the stored score does). */
const BIN = sql.raw(`least(100, greatest(0, floor(e.value::text::numeric * 100)))::smallint`);

type Rows = { rows: Record<string, unknown>[] };

/**
 * The analysis rollups: the confirmed violations of every item (recomputed
 * for the items the triggers of migration 0017 mark dirty), and acting
 * scores binned per closed UTC day and policy.
 */
@Injectable()
export class MissRollupRepository extends RepositoryBase {
  /**
   * Takes up to `limit` dirty items, oldest first. Meant for a transaction
   * that also writes their violations: a crash gives them back, and rows
   * a writer still holds (its transaction open) are skipped until it commits.
   */
  async takeDirty(limit: number): Promise<string[]> {
    const rows = await this.rows(sql`
      delete from ${analysisDirtyContents} where content_id in (
        select content_id from ${analysisDirtyContents} order by marked_at limit ${limit} for update skip locked)
      returning content_id`);
    return rows.map((r) => String(r.content_id));
  }

  async dirtyCount(): Promise<number> {
    const [row] = await this.rows(sql`select count(*)::int as n from ${analysisDirtyContents}`);
    return Number(row?.n ?? 0);
  }

  /** The violations of these items become `rows` (the items' other rows go). */
  async replaceViolations(contentIds: string[], rows: StoredViolation[]): Promise<void> {
    if (contentIds.length === 0) return;
    const payload = JSON.stringify(rows.map((r) => ({ ...r, confirmedAt: r.confirmedAt.toISOString() })));
    await this.db.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${payload}::jsonb) as x("contentId" uuid, "policyId" text, "confirmedAt" timestamptz, kind text,
          region text, language text, missed boolean, record jsonb, nearest jsonb)
      ),
      gone as (
        delete from ${missViolations} m where m.content_id = any(${`{${contentIds.join(',')}}`}::uuid[])
          and not exists (select 1 from x where x."contentId" = m.content_id and x."policyId" = m.policy_id)
      )
      insert into ${missViolations} (content_id, policy_id, confirmed_at, kind, region, language, missed, record, nearest)
      select "contentId", "policyId", "confirmedAt", kind, region, language, missed, record, nearest from x
      on conflict (content_id, policy_id) do update set confirmed_at = excluded.confirmed_at, kind = excluded.kind, region = excluded.region,
        language = excluded.language, missed = excluded.missed, record = excluded.record, nearest = excluded.nearest, refreshed_at = clock_timestamp()`);
  }

  /** The violations first confirmed in [from, to), under the filter. */
  async violations(from: Date, to: Date, filter: MissContentFilter & { policyId?: string } = {}): Promise<StoredViolation[]> {
    const conditions: SQL[] = [sql`v.confirmed_at >= ${from.toISOString()}::timestamptz`, sql`v.confirmed_at < ${to.toISOString()}::timestamptz`];
    if (filter.policyId) conditions.push(sql`v.policy_id = ${filter.policyId}`);
    if (filter.region) conditions.push(sql`v.region = ${filter.region}`);
    if (filter.language) conditions.push(sql`v.language = ${filter.language}`);
    if (filter.kind) conditions.push(sql`v.kind = ${filter.kind}`);
    const rows = await this.rows(sql`
      select v.content_id, v.policy_id, v.confirmed_at, v.kind, v.region, v.language, v.missed, v.record, v.nearest
      from ${missViolations} v where ${sql.join(conditions, sql` and `)}`);
    return rows.map((r) => ({
      contentId: String(r.content_id),
      policyId: String(r.policy_id),
      confirmedAt: new Date(r.confirmed_at as string),
      kind: String(r.kind),
      region: String(r.region),
      language: String(r.language),
      missed: Boolean(r.missed),
      record: json(r.record) as Record<string, unknown>,
      nearest: json(r.nearest) as Record<string, unknown> | null,
    }));
  }

  /** The start of the first UTC day whose scores are not binned yet; null before the first fold. */
  async scoresFoldedUntil(): Promise<Date | null> {
    const [row] = await this.rows(sql`select folded_until from ${analysisRollupMarks} where name = ${SCORE_BINS}`);
    return row ? new Date(row.folded_until as string) : null;
  }

  /** The start of the UTC day of the first acting score; null when there is none. */
  async firstScoreDay(): Promise<Date | null> {
    const [row] = await this.rows(sql`select to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD') as day from ${modelScores} where acted`);
    return row?.day ? new Date(`${String(row.day)}T00:00:00Z`) : null;
  }

  /**
   * Bins the acting scores of the whole UTC days in [from, until) (both day
   * starts) in one pass, and moves the mark to `until`, in one statement.
   */
  async foldScoreDays(from: Date, until: Date): Promise<void> {
    const [f, u] = [sql`${from.toISOString()}::timestamptz`, sql`${until.toISOString()}::timestamptz`];
    await this.db.execute(sql`
      with binned as (
        insert into ${scoreDayBins} (day, policy_id, bin, scores)
        select (s.created_at at time zone 'UTC')::date, e.key, ${BIN}, count(*)
        from ${modelScores} s, jsonb_each(s.policy_scores) e
        where s.acted and s.created_at >= ${f} and s.created_at < ${u} and jsonb_typeof(e.value) = 'number'
        group by 1, 2, 3
        on conflict (day, policy_id, bin) do update set scores = excluded.scores
        returning 1
      )
      insert into ${analysisRollupMarks} (name, folded_until) values (${SCORE_BINS}, ${u})
      on conflict (name) do update set folded_until = greatest(${analysisRollupMarks.foldedUntil}, excluded.folded_until), updated_at = clock_timestamp()`);
  }

  /**
   * Bins again the binned days whose scores changed since (marked by the
   * triggers on model_scores); the days done. Meant for a transaction: the
   * marks go with the new bins, or not at all.
   */
  async rebinChangedDays(): Promise<number> {
    const days = (await this.rows(sql`delete from ${analysisDirtyScoreDays} returning to_char(day, 'YYYY-MM-DD') as day`)).map((r) => String(r.day));
    if (days.length === 0) return 0;
    const list = sql`${`{${days.join(',')}}`}::date[]`;
    await this.db.execute(sql`delete from ${scoreDayBins} where day = any(${list})`);
    await this.db.execute(sql`
      insert into ${scoreDayBins} (day, policy_id, bin, scores)
      select (s.created_at at time zone 'UTC')::date, e.key, ${BIN}, count(*)
      from ${modelScores} s, jsonb_each(s.policy_scores) e
      where s.acted and (s.created_at at time zone 'UTC')::date = any(${list}) and jsonb_typeof(e.value) = 'number'
      group by 1, 2, 3`);
    return days.length;
  }

  /**
   * For each range (bounds in hundredths), the acting scores of the policy
   * in [lower, upper) on the binned days in [from, to) (day starts).
   */
  async binnedScoresBetween(from: Date, to: Date, ranges: ScoreRangeQuery[]): Promise<number[]> {
    if (ranges.length === 0) return [];
    const counts = ranges.map(
      (r, i) =>
        sql`coalesce(sum(b.scores) filter (where b.policy_id = ${r.policyId} and b.bin >= ${Math.round(r.lower * 100)} and b.bin < ${Math.round(r.upper * 100)}), 0) as ${sql.raw(`r${i}`)}`,
    );
    const [row] = await this.rows(sql`
      select ${sql.join(counts, sql`, `)} from ${scoreDayBins} b
      where b.day >= (${from.toISOString()}::timestamptz at time zone 'UTC')::date and b.day < (${to.toISOString()}::timestamptz at time zone 'UTC')::date`);
    return ranges.map((_, i) => Number(row?.[`r${i}`] ?? 0));
  }

  private async rows(query: SQL): Promise<Record<string, unknown>[]> {
    return ((await this.db.execute(query)) as unknown as Rows).rows;
  }
}

const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : (value ?? null));
