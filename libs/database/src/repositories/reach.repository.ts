import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { ContentStatus } from '@loupe/vocabulary';
import { contents, contentViewSamples, contentViralityTiers, reviewCases } from '../schema';
import { RepositoryBase } from './repository.base';

export interface ReachStateRow {
  contentId: string;
  status: ContentStatus;
  postedAt: Date;
  last: { views: number; observedAt: Date; velocityPerHour: number } | null;
  tiers: number[];
}

export interface ViewSampleInsert {
  contentId: string;
  views: number;
  velocityPerHour: number;
  shares: number | null;
  reports: number | null;
  observedAt: Date;
}

export interface TierCrossingInsert {
  contentId: string;
  tier: number;
  action: 'rescore' | 'review';
  velocityPerHour: number;
  views: number;
  crossedAt: Date;
}

export type ViralityTierRow = typeof contentViralityTiers.$inferSelect;

// Many rows travel as one JSON parameter: a multi-row VALUES list would need
// a bind parameter per cell, and PostgreSQL allows 65,535 per statement.
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

/**
 * Reach at the rate the platform sends it: a batch of view counts reads,
 * writes and locks its items in a handful of set-based statements, whatever
 * its size, so the bulk endpoint's cost grows with rows, not round trips.
 */
@Injectable()
export class ReachRepository extends RepositoryBase {
  /**
   * The items' status, posted time, last sample and crossed tiers, with
   * their rows locked (in id order, so two batches never deadlock) until
   * the transaction ends: counts of one item are applied one batch at a time.
   */
  async lockStates(contentIds: string[]): Promise<ReachStateRow[]> {
    if (contentIds.length === 0) return [];
    const ids = json(contentIds);
    // The last count lives on the item (views, view_velocity, views_observed_at), so reading it is
    // the same row lookup as the lock; tiers are few, read for the items that have any.
    const locked = (await this.db.execute(sql`
      select c.id, c.status, c.posted_at, c.views, c.view_velocity, c.views_observed_at from ${contents} c
      where c.id in (select value::uuid from jsonb_array_elements_text(${ids}))
      order by c.id
      for update of c`)) as unknown as { rows: Record<string, unknown>[] };
    const crossed = (await this.db.execute(sql`
      select content_id, array_agg(tier) as tiers from ${contentViralityTiers}
      where content_id in (select value::uuid from jsonb_array_elements_text(${ids}))
      group by content_id`)) as unknown as { rows: Array<{ content_id: string; tiers: unknown[] }> };
    const tiers = new Map(crossed.rows.map((r) => [String(r.content_id), r.tiers.map(Number)]));
    return locked.rows.map((row) => ({
      contentId: String(row.id),
      status: row.status as ContentStatus,
      postedAt: new Date(row.posted_at as string),
      last: row.views_observed_at === null ? null : { views: Number(row.views), observedAt: new Date(row.views_observed_at as string), velocityPerHour: Number(row.view_velocity) },
      tiers: tiers.get(String(row.id)) ?? [],
    }));
  }

  /**
   * Writes the samples and moves each item's reach to its last sample, in
   * one statement (one parse of the rows, one round trip). updated_at is
   * left alone: it is what the recovery sweep reads for unfinished work, and
   * a column no index covers lets PostgreSQL update the row in place (HOT),
   * which at thousands of rows per call is most of the cost.
   */
  async addSamples(samples: ViewSampleInsert[]): Promise<void> {
    if (samples.length === 0) return;
    await this.db.execute(sql`
      with x as (
        select * from rows from (
          jsonb_to_recordset(${json(samples)}) as ("contentId" uuid, views bigint, "velocityPerHour" double precision, shares bigint, reports bigint, "observedAt" timestamptz)
        ) with ordinality as x("contentId", views, "velocityPerHour", shares, reports, "observedAt", ord)
      ),
      inserted as (
        insert into ${contentViewSamples} (content_id, views, velocity_per_hour, shares, reports, observed_at)
        select "contentId", views, "velocityPerHour", shares, reports, "observedAt" from x order by ord
      ),
      latest as (select distinct on ("contentId") "contentId", views, "velocityPerHour", "observedAt" from x order by "contentId", ord desc)
      update ${contents} c set views = latest.views, view_velocity = latest."velocityPerHour", views_observed_at = latest."observedAt"
      from latest where c.id = latest."contentId"`);
  }

  /** Records tiers crossed; returns those this call recorded (a tier already taken by another batch is not). */
  async addCrossings(crossings: TierCrossingInsert[]): Promise<Array<{ contentId: string; tier: number }>> {
    if (crossings.length === 0) return [];
    const result = (await this.db.execute(sql`
      insert into ${contentViralityTiers} (content_id, tier, action, velocity_per_hour, views, crossed_at)
      select x."contentId", x.tier, x.action, x."velocityPerHour", x.views, x."crossedAt"
      from jsonb_to_recordset(${json(crossings)}) as x("contentId" uuid, tier integer, action text, "velocityPerHour" double precision, views bigint, "crossedAt" timestamptz)
      on conflict do nothing
      returning content_id, tier`)) as unknown as { rows: Array<{ content_id: string; tier: number }> };
    return result.rows.map((r) => ({ contentId: String(r.content_id), tier: Number(r.tier) }));
  }

  /** Items among these with an open case, whose priority follows their reach. */
  async withOpenCases(contentIds: string[]): Promise<string[]> {
    if (contentIds.length === 0) return [];
    const result = (await this.db.execute(sql`
      select distinct content_id from ${reviewCases}
      where status in ('open', 'escalated') and content_id in (select value::uuid from jsonb_array_elements_text(${json(contentIds)}))`)) as unknown as {
      rows: Array<{ content_id: string }>;
    };
    return result.rows.map((r) => String(r.content_id));
  }

  /** An item's tiers not yet re-checked. */
  async uncheckedTiers(contentId: string): Promise<ViralityTierRow[]> {
    const result = (await this.db.execute(sql`
      select * from ${contentViralityTiers} where content_id = ${contentId} and checked_at is null order by tier`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((row) => ({
      contentId: String(row.content_id),
      tier: Number(row.tier),
      velocityPerHour: Number(row.velocity_per_hour),
      views: Number(row.views),
      action: row.action as ViralityTierRow['action'],
      outcome: (row.outcome as string | null) ?? null,
      caseId: (row.case_id as string | null) ?? null,
      crossedAt: new Date(row.crossed_at as string),
      checkedAt: null,
    }));
  }

  async markChecked(contentId: string, tiers: number[], outcome: string, caseId: string | null): Promise<void> {
    if (tiers.length === 0) return;
    await this.db.execute(sql`
      update ${contentViralityTiers} set checked_at = clock_timestamp(), outcome = ${outcome}, case_id = ${caseId}
      where content_id = ${contentId} and tier in (select value::int from jsonb_array_elements_text(${json(tiers.map(String))}))`);
  }

  /** Items with a tier crossed more than `olderThanMs` ago and never re-checked: their job was lost. */
  async stranded(olderThanMs: number, limit: number): Promise<string[]> {
    const result = (await this.db.execute(sql`
      select distinct content_id from ${contentViralityTiers}
      where checked_at is null and crossed_at < clock_timestamp() - make_interval(secs => ${olderThanMs / 1000})
      limit ${limit}`)) as unknown as { rows: Array<{ content_id: string }> };
    return result.rows.map((r) => String(r.content_id));
  }

  /** The item's tiers, re-checked or not: what an analyst or the item's page shows. */
  async tiersOf(contentId: string): Promise<Array<{ tier: number; action: string; crossedAt: Date; checkedAt: Date | null; outcome: string | null; caseId: string | null }>> {
    const result = (await this.db.execute(sql`
      select tier, action, crossed_at, checked_at, outcome, case_id from ${contentViralityTiers} where content_id = ${contentId} order by tier`)) as unknown as {
      rows: Record<string, unknown>[];
    };
    return result.rows.map((row) => ({
      tier: Number(row.tier),
      action: String(row.action),
      crossedAt: new Date(row.crossed_at as string),
      checkedAt: row.checked_at ? new Date(row.checked_at as string) : null,
      outcome: (row.outcome as string | null) ?? null,
      caseId: (row.case_id as string | null) ?? null,
    }));
  }

  /** View counts of an item over time: the series a chart draws. */
  async series(contentId: string): Promise<Array<{ observedAt: Date; views: number; velocityPerHour: number; shares: number | null; reports: number | null }>> {
    const result = (await this.db.execute(sql`
      select observed_at, views, velocity_per_hour, shares, reports from ${contentViewSamples} where content_id = ${contentId} order by observed_at, id`)) as unknown as {
      rows: Record<string, unknown>[];
    };
    return result.rows.map((row) => ({
      observedAt: new Date(row.observed_at as string),
      views: Number(row.views),
      velocityPerHour: Number(row.velocity_per_hour),
      shares: row.shares === null ? null : Number(row.shares),
      reports: row.reports === null ? null : Number(row.reports),
    }));
  }
}
