import { Injectable } from '@nestjs/common';
import { and, desc, eq, gte, isNull, sql, type SQL } from 'drizzle-orm';
import type { DecisionSource } from '@loupe/vocabulary';
import { contentDecisions, contentEmbeddings, contentMatches, contentReports, contents, hashBanks, reviewCases, trendAlerts } from '../schema';
import { RepositoryBase } from './repository.base';

export type TrendAlertRow = typeof trendAlerts.$inferSelect;
export type TrendAlertKind = TrendAlertRow['kind'];
export type TrendAlertStatus = TrendAlertRow['status'];
export type TrendWorkRecord = TrendAlertRow['work'][number];

/** A trend watch in force: its alert, term, policy and queue. */
export interface ActiveWatchRecord {
  alertId: string;
  subject: string;
  policyId: string | null;
  queueId: string;
  until: Date;
}

/** An item that was removed, reported or held for review on suspicion by `asOf`, with what trend detection reads of it. */
export interface FlaggedItemRecord {
  contentId: string;
  /** When it was posted: trends bucket items by it. */
  postedAt: Date;
  hashtags: string[];
  caption: string | null;
  /** The policies of its removals, reports and suspicions. */
  policyIds: string[];
}

export interface MatchEventRecord {
  contentId: string;
  entryId: string;
  bankId: string;
  at: Date;
}

export interface BankInfoRecord {
  id: string;
  name: string;
  policyId: string | null;
}

export interface ItemVectorRecord {
  contentId: string;
  postedAt: Date;
  backbone: string;
  vector: number[];
  policyIds: string[];
}

/** What turning an alert's item into review work needs to know about it. */
export interface WorkCandidateRecord {
  contentId: string;
  reported: boolean;
  /** The source of its latest removal, if any. */
  removedBy: DecisionSource | null;
  humanDecided: boolean;
  /** A live case of the item (open or escalated, not gold or appeal): its queue. */
  liveCaseQueue: string | null;
}

export interface TrendAlertFilter {
  status?: TrendAlertStatus;
  kind?: TrendAlertKind;
  policyId?: string;
  /** Alerts last seen at or after this. */
  since?: Date;
  limit?: number;
}

export interface TrendAlertUpsert {
  kind: TrendAlertKind;
  subject: string;
  policyId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  count: number;
  baseline: number;
  lift: number;
  evidence: Record<string, unknown>;
}

type Row = Record<string, unknown>;
const iso = (d: Date) => d.toISOString();
/**
 * What emerging-trend detection reads (flagged items, bank matches, the
 * vectors of violating items, all by their own timestamps so a scan can be
 * run "as of" any time) and the alerts it keeps.
 */
@Injectable()
export class TrendRepository extends RepositoryBase {
  /**
   * Items posted in [from, to) that were removed, reported or held for
   * review on a model's or a bank's suspicion before `asOf`, with the
   * policies of those removals, reports and cases. A held item counts: a new
   * harm the models half recognise goes to review, where nobody sees it and
   * so nobody reports it, and a scan that read only removals and reports
   * learnt of it only once moderators had worked through the queue (the
   * simulated day, docs/simulation.md). Quality samples, virality re-checks
   * and a watch's own holds are not suspicions of the item and do not count.
   * Read from the flags joined to the items, not item by item: over a
   * quarter of a million items a subquery per item took 6.5 s, this 1.9 s
   * (72 hours: 1.1 s against 0.5 s; measured before cases counted).
   */
  async flaggedItems(from: Date, to: Date, asOf: Date): Promise<FlaggedItemRecord[]> {
    const rows = await this.rows(sql`
      with flags as (
        select d.content_id, p.policy_id from ${contentDecisions} d left join lateral unnest(d.policy_ids) as p(policy_id) on true
        where d.outcome = 'removed' and d.created_at < ${iso(asOf)}::timestamptz
        union all
        select r.content_id, r.policy_id from ${contentReports} r where r.created_at < ${iso(asOf)}::timestamptz
        union all
        select rc.content_id, p.policy_id from ${reviewCases} rc left join lateral unnest(rc.policy_ids) as p(policy_id) on true
        where rc.source in ('model', 'hash') and rc.created_at < ${iso(asOf)}::timestamptz)
      select c.id, c.posted_at, c.hashtags, c.caption,
        coalesce(array_agg(distinct f.policy_id order by f.policy_id) filter (where f.policy_id is not null), '{}') as policy_ids
      from ${contents} c join flags f on f.content_id = c.id
      where c.posted_at >= ${iso(from)}::timestamptz and c.posted_at < ${iso(to)}::timestamptz
      group by c.id
      order by c.posted_at, c.id`);
    return rows.map((row) => ({
      contentId: String(row.id),
      postedAt: new Date(row.posted_at as string),
      hashtags: (row.hashtags as string[] | null) ?? [],
      caption: (row.caption as string | null) ?? null,
      policyIds: (row.policy_ids as string[] | null) ?? [],
    }));
  }

  /** Items created per hour in [from, to), hours counted from `from`: the denominator of bank match rates. */
  async itemsPerHour(from: Date, to: Date): Promise<Map<number, number>> {
    const rows = await this.rows(sql`
      select floor(extract(epoch from (c.posted_at - ${iso(from)}::timestamptz)) / 3600)::int as hour, count(*)::int as n
      from ${contents} c where c.posted_at >= ${iso(from)}::timestamptz and c.posted_at < ${iso(to)}::timestamptz
      group by 1`);
    return new Map(rows.map((row) => [Number(row.hour), Number(row.n)]));
  }

  /** Bank matches recorded in [from, to). */
  async matchEvents(from: Date, to: Date): Promise<MatchEventRecord[]> {
    const rows = await this.rows(sql`
      select m.content_id, m.entry_id, m.bank_id, m.created_at from ${contentMatches} m
      where m.created_at >= ${iso(from)}::timestamptz and m.created_at < ${iso(to)}::timestamptz
      order by m.created_at, m.id`);
    return rows.map((row) => ({ contentId: String(row.content_id), entryId: String(row.entry_id), bankId: String(row.bank_id), at: new Date(row.created_at as string) }));
  }

  async banks(): Promise<BankInfoRecord[]> {
    return this.db.select({ id: hashBanks.id, name: hashBanks.name, policyId: hashBanks.policyId }).from(hashBanks);
  }

  /**
   * The item vectors (frame_index null) of items created in [from, to) and
   * removed before `asOf`, newest first, at most `limit`. Every backbone's
   * rows come back; the caller compares vectors of one backbone only.
   */
  async violatingVectors(from: Date, to: Date, asOf: Date, limit: number): Promise<ItemVectorRecord[]> {
    const removedBy = sql`exists (select 1 from ${contentDecisions} d where d.content_id = ${contents.id} and d.outcome = 'removed' and d.created_at < ${iso(asOf)}::timestamptz)`;
    const policies = sql<string[]>`array(select distinct unnest(d.policy_ids) from ${contentDecisions} d where d.content_id = ${contents.id} and d.outcome = 'removed')`;
    const rows = await this.db
      .select({ contentId: contentEmbeddings.contentId, postedAt: contents.postedAt, backbone: contentEmbeddings.backbone, vector: contentEmbeddings.pooled, policyIds: policies })
      .from(contentEmbeddings)
      .innerJoin(contents, eq(contents.id, contentEmbeddings.contentId))
      .where(and(isNull(contentEmbeddings.frameIndex), gte(contents.postedAt, from), sql`${contents.postedAt} < ${iso(to)}::timestamptz`, removedBy))
      .orderBy(desc(contents.postedAt))
      .limit(limit);
    return rows.map((row) => ({ ...row, postedAt: new Date(row.postedAt), policyIds: (row.policyIds as string[] | null) ?? [] }));
  }

  async workCandidates(contentIds: string[]): Promise<WorkCandidateRecord[]> {
    if (contentIds.length === 0) return [];
    const ids = sql.join(contentIds.map((id) => sql`${id}::uuid`), sql`, `);
    const rows = await this.rows(sql`
      select c.id,
        exists (select 1 from ${contentReports} r where r.content_id = c.id) as reported,
        (select d.source from ${contentDecisions} d where d.content_id = c.id and d.outcome = 'removed' order by d.created_at desc, d.id desc limit 1) as removed_by,
        exists (select 1 from ${contentDecisions} d where d.content_id = c.id and d.source = 'human') as human_decided,
        (select rc.queue_id from ${reviewCases} rc where rc.content_id = c.id and rc.status in ('open','escalated') and rc.source not in ('gold','appeal') limit 1) as live_queue
      from ${contents} c where c.id in (${ids})`);
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    // In the caller's order: the alert's evidence lists its items oldest first.
    return contentIds.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      return [{ contentId: id, reported: Boolean(row.reported), removedBy: (row.removed_by as DecisionSource | null) ?? null, humanDecided: Boolean(row.human_decided), liveCaseQueue: (row.live_queue as string | null) ?? null }];
    });
  }

  /**
   * Stores a detected trend. A burst already on record for the subject whose
   * span meets this one (re-detected by a later scan, perhaps from a window
   * that starts later) is updated, never duplicated: its first_seen_at stays,
   * and a scan that ends earlier than the one that last updated it (evidence
   * scannedUntil) changes nothing. Otherwise a new alert, keyed (kind,
   * subject, first_seen_at).
   */
  async upsertAlert(values: TrendAlertUpsert, scannedUntil: Date, joinGapMs: number): Promise<{ alert: TrendAlertRow; created: boolean }> {
    const [existing] = await this.db
      .select()
      .from(trendAlerts)
      .where(
        and(
          eq(trendAlerts.kind, values.kind),
          eq(trendAlerts.subject, values.subject),
          sql`${trendAlerts.firstSeenAt} <= ${iso(values.lastSeenAt)}::timestamptz`,
          sql`${trendAlerts.lastSeenAt} >= ${iso(new Date(values.firstSeenAt.getTime() - joinGapMs))}::timestamptz`,
        ),
      )
      .orderBy(desc(trendAlerts.lastSeenAt))
      .limit(1);
    if (existing) {
      const previousScan = typeof existing.evidence.scannedUntil === 'string' ? new Date(existing.evidence.scannedUntil) : null;
      if (previousScan && scannedUntil < previousScan) return { alert: existing, created: false };
      const [updated] = await this.db
        .update(trendAlerts)
        .set({
          lastSeenAt: values.lastSeenAt > existing.lastSeenAt ? values.lastSeenAt : existing.lastSeenAt,
          // A later window may have lost the burst's first hours: the count never shrinks.
          count: Math.max(values.count, existing.count),
          baseline: values.baseline,
          lift: values.lift,
          evidence: { ...values.evidence, scannedUntil: scannedUntil.toISOString() },
          policyId: values.policyId ?? existing.policyId,
          updatedAt: new Date(),
        })
        .where(eq(trendAlerts.id, existing.id))
        .returning();
      return { alert: updated, created: false };
    }
    const inserted = await this.db
      .insert(trendAlerts)
      .values({ ...values, evidence: { ...values.evidence, scannedUntil: scannedUntil.toISOString() } })
      .onConflictDoNothing({ target: [trendAlerts.kind, trendAlerts.subject, trendAlerts.firstSeenAt] })
      .returning();
    if (inserted.length > 0) return { alert: inserted[0], created: true };
    // A concurrent scan stored the same burst a moment ago.
    const [raced] = await this.db
      .select()
      .from(trendAlerts)
      .where(and(eq(trendAlerts.kind, values.kind), eq(trendAlerts.subject, values.subject), eq(trendAlerts.firstSeenAt, values.firstSeenAt)));
    return { alert: raced, created: false };
  }

  async findAlert(id: string): Promise<TrendAlertRow | undefined> {
    const [row] = await this.db.select().from(trendAlerts).where(eq(trendAlerts.id, id));
    return row;
  }

  async listAlerts(filter: TrendAlertFilter): Promise<TrendAlertRow[]> {
    const conditions = [
      filter.status ? eq(trendAlerts.status, filter.status) : undefined,
      filter.kind ? eq(trendAlerts.kind, filter.kind) : undefined,
      filter.policyId ? eq(trendAlerts.policyId, filter.policyId) : undefined,
      filter.since ? gte(trendAlerts.lastSeenAt, filter.since) : undefined,
    ].filter((c): c is SQL => c !== undefined);
    return this.db
      .select()
      .from(trendAlerts)
      .where(conditions.length > 0 ? and(...conditions) : undefined)
      .orderBy(desc(trendAlerts.lastSeenAt), desc(trendAlerts.lift), trendAlerts.id)
      .limit(filter.limit ?? 100);
  }

  /** Acknowledges an open alert; undefined when it is not open (already acknowledged, or unknown). */
  async acknowledge(id: string, by: string | null, note: string | null): Promise<TrendAlertRow | undefined> {
    const now = new Date();
    const [row] = await this.db
      .update(trendAlerts)
      .set({ status: 'acknowledged', acknowledgedBy: by, acknowledgedAt: now, note, updatedAt: now })
      .where(and(eq(trendAlerts.id, id), eq(trendAlerts.status, 'open')))
      .returning();
    return row;
  }

  /** Appends a work record, unless the alert has one of that kind already (then undefined). */
  async addWork(id: string, record: TrendWorkRecord): Promise<TrendAlertRow | undefined> {
    const [row] = await this.db
      .update(trendAlerts)
      .set({ work: sql`${trendAlerts.work} || ${JSON.stringify([record])}::jsonb`, updatedAt: new Date() })
      .where(and(eq(trendAlerts.id, id), sql`not exists (select 1 from jsonb_array_elements(${trendAlerts.work}) w where w->>'kind' = ${record.kind})`))
      .returning();
    return row;
  }

  /** Term-burst alerts with a watch in force at `now`: new uploads carrying the term are held for review in its queue. */
  async activeWatches(now: Date): Promise<ActiveWatchRecord[]> {
    const rows = await this.rows(sql`
      select a.id, a.subject, a.policy_id, w->>'queueId' as queue_id, w->>'until' as until
      from trend_alerts a, jsonb_array_elements(a.work) w
      where a.kind = 'term_burst' and w->>'kind' = 'watch' and (w->>'until')::timestamptz > ${now.toISOString()}::timestamptz
      order by a.first_seen_at, a.id`);
    return rows.map((r) => ({ alertId: String(r.id), subject: String(r.subject), policyId: r.policy_id === null ? null : String(r.policy_id), queueId: String(r.queue_id), until: new Date(String(r.until)) }));
  }

  private async rows(query: SQL): Promise<Row[]> {
    return ((await this.db.execute(query)) as unknown as { rows: Row[] }).rows;
  }
}
