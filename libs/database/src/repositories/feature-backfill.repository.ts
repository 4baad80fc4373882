import { Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { FeatureBackfillStatus } from '@loupe/vocabulary';
import { contentEmbeddings, contents, featureBackfills } from '../schema';
import { RepositoryBase } from './repository.base';

export type FeatureBackfillRow = typeof featureBackfills.$inferSelect;

/** Where a backfill has got to: written together, so a retry resumes from counts that match its cursor. */
export interface FeatureBackfillProgress {
  done: number;
  embedded: number;
  skipped: number;
  cursor: string | null;
}

const ACTIVE: FeatureBackfillStatus[] = ['queued', 'running'];
// The database's clock, as the column's default: staleness is then measured on one clock whichever process wrote.
const NOW = sql`clock_timestamp()`;

@Injectable()
export class FeatureBackfillRepository extends RepositoryBase {
  /** A new queued backfill, or undefined when one is queued or running already (the partial unique index decides, race-free). */
  async createIfIdle(values: { backbone: string; requestedBy: string | null }): Promise<FeatureBackfillRow | undefined> {
    const [row] = await this.db.insert(featureBackfills).values(values).onConflictDoNothing().returning();
    return row;
  }

  async findActive(): Promise<FeatureBackfillRow | undefined> {
    const [row] = await this.db.select().from(featureBackfills).where(inArray(featureBackfills.status, ACTIVE));
    return row;
  }

  /** The active backfill if it has not been written for `seconds`: its process is gone (or it never reached the queue). */
  async findStale(seconds: number): Promise<FeatureBackfillRow | undefined> {
    const [row] = await this.db
      .select()
      .from(featureBackfills)
      .where(and(inArray(featureBackfills.status, ACTIVE), sql`${featureBackfills.updatedAt} < clock_timestamp() - make_interval(secs => ${seconds})`));
    return row;
  }

  async findById(id: string): Promise<FeatureBackfillRow | undefined> {
    const [row] = await this.db.select().from(featureBackfills).where(eq(featureBackfills.id, id));
    return row;
  }

  async list(limit: number): Promise<FeatureBackfillRow[]> {
    return this.db.select().from(featureBackfills).orderBy(desc(featureBackfills.createdAt)).limit(limit);
  }

  /**
   * Marks an active backfill running, with its total: what it has done plus
   * what is left after its cursor (on a first try, everything left). A retry
   * thus keeps its counts and its total still adds up. Undefined if it has ended.
   */
  async start(id: string, left: number): Promise<FeatureBackfillRow | undefined> {
    const [row] = await this.db
      .update(featureBackfills)
      .set({ status: 'running', total: sql`${featureBackfills.done} + ${left}`, startedAt: sql`coalesce(${featureBackfills.startedAt}, now())`, updatedAt: NOW })
      .where(and(eq(featureBackfills.id, id), inArray(featureBackfills.status, ACTIVE)))
      .returning();
    return row;
  }

  async setProgress(id: string, progress: FeatureBackfillProgress): Promise<void> {
    await this.db.update(featureBackfills).set({ ...progress, updatedAt: NOW }).where(eq(featureBackfills.id, id));
  }

  /** Ends an active backfill; undefined if it had ended already. */
  async finish(id: string, status: 'succeeded' | 'failed', failedReason: string | null = null): Promise<FeatureBackfillRow | undefined> {
    const [row] = await this.db
      .update(featureBackfills)
      .set({ status, failedReason, finishedAt: new Date(), updatedAt: NOW })
      .where(and(eq(featureBackfills.id, id), inArray(featureBackfills.status, ACTIVE)))
      .returning();
    return row;
  }

  /**
   * Classified items (so their model input was written) after `after` in id
   * order, that have no item embedding from `backbone` with every readout:
   * none at all (they predate embeddings, or another backbone embedded them),
   * or one stored before mid_gem existed. Keyset paging by id: a page costs
   * the same wherever it starts, and items embedded meanwhile drop out.
   */
  async contentsNeedingEmbedding(backbone: string, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: contents.id })
      .from(contents)
      .where(and(this.needsEmbedding(backbone), after ? sql`${contents.id} > ${after}` : undefined))
      .orderBy(contents.id)
      .limit(limit);
    return rows.map((r) => r.id);
  }

  /** How many items after `after` need an embedding from `backbone` (see contentsNeedingEmbedding). */
  async countNeedingEmbedding(backbone: string, after: string | null): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(contents)
      .where(and(this.needsEmbedding(backbone), after ? sql`${contents.id} > ${after}` : undefined));
    return row?.n ?? 0;
  }

  private needsEmbedding(backbone: string): SQL {
    return sql`${contents.status} in ('removed', 'in_review', 'allowed') and not exists (
      select 1 from ${contentEmbeddings}
      where ${contentEmbeddings.contentId} = ${contents.id}
        and ${contentEmbeddings.backbone} = ${backbone}
        and ${contentEmbeddings.frameIndex} is null
        and ${contentEmbeddings.midGem} is not null)`;
  }
}
