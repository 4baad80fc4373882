import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { contentHashes, contents, modelScores, reviewTasks } from '../schema';
import { RepositoryBase } from './repository.base';
import type { ContentStatus } from '@loupe/vocabulary';

export type ContentRow = typeof contents.$inferSelect;
export type ContentInsert = Omit<typeof contents.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'status'>;
export type ContentHashRow = typeof contentHashes.$inferSelect;
export type ContentHashInsert = Omit<typeof contentHashes.$inferInsert, 'id' | 'createdAt' | 'contentId'>;
export type ModelScoreRow = typeof modelScores.$inferSelect;
export type ModelScoreInsert = Omit<typeof modelScores.$inferInsert, 'id' | 'createdAt'>;

/** The first key of the two-key advisory locks on media hashes; the two-key space is apart from the migration lock's. */
const MEDIA_LOCK_CLASS = 0x4d454449;

const UNFINISHED: ContentStatus[] = ['received', 'processing'];

@Injectable()
export class ContentRepository extends RepositoryBase {
  async create(values: ContentInsert): Promise<ContentRow> {
    const [row] = await this.db.insert(contents).values(values).returning();
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(contents).where(eq(contents.id, id));
  }

  async findById(id: string): Promise<ContentRow | undefined> {
    const [row] = await this.db.select().from(contents).where(eq(contents.id, id));
    return row;
  }

  /** The rows of these ids that exist, in no particular order. */
  async findByIds(ids: string[]): Promise<ContentRow[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(contents).where(inArray(contents.id, ids));
  }

  /**
   * Holds, until the transaction ends, the lock on one media hash: storing an
   * original with its row, and deciding that an original has no row left and
   * removing it, each take it, so the one never undoes the other.
   */
  async lockMedia(sha256: string): Promise<void> {
    // On PGlite the open transaction holds the only connection: no other can store or remove an original meanwhile.
    if (this.transactionsRunAlone) return;
    await this.db.execute(sql`select pg_advisory_xact_lock(${MEDIA_LOCK_CLASS}::int, hashtext(${sha256}))`);
  }

  async countByMediaSha256(sha256: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(contents)
      .where(eq(contents.mediaSha256, sha256));
    return row.n;
  }

  /**
   * Moves a content item to `status` only from one of `from`, so a late or
   * repeated job can never overwrite a human decision. Returns the row when
   * the transition happened.
   */
  async transition(
    id: string,
    from: ContentStatus[],
    status: ContentStatus,
    extra: Partial<Pick<ContentRow, 'width' | 'height' | 'failureCode' | 'failureReason'>> = {},
  ): Promise<ContentRow | undefined> {
    const [row] = await this.db
      .update(contents)
      .set({ ...extra, status, updatedAt: new Date() })
      .where(and(eq(contents.id, id), inArray(contents.status, from)))
      .returning();
    return row;
  }

  /**
   * Unfinished items (received or processing) unchanged since `olderThan`,
   * oldest change first, a page at a time after the keyset `after`.
   */
  async findUnfinished(olderThan: Date, limit: number, after?: { updatedAt: Date; id: string }): Promise<ContentRow[]> {
    return this.db
      .select()
      .from(contents)
      .where(
        and(
          inArray(contents.status, UNFINISHED),
          lt(contents.updatedAt, olderThan),
          after ? sql`(${contents.updatedAt}, ${contents.id}) > (${after.updatedAt.toISOString()}::timestamptz, ${after.id}::uuid)` : undefined,
        ),
      )
      .orderBy(asc(contents.updatedAt), asc(contents.id))
      .limit(limit);
  }

  /**
   * Claims an unfinished item for the recovery sweep: counts the attempt and
   * touches updatedAt, so another sweeper looking at the same stale row loses
   * the race and the item is not looked at again until it is stale again.
   * Returns the row when this caller won.
   */
  async claimForRecovery(id: string, olderThan: Date): Promise<ContentRow | undefined> {
    const [row] = await this.db
      .update(contents)
      .set({ recoveryAttempts: sql`${contents.recoveryAttempts} + 1`, updatedAt: sql`clock_timestamp()` })
      .where(and(eq(contents.id, id), inArray(contents.status, UNFINISHED), lt(contents.updatedAt, olderThan)))
      .returning();
    return row;
  }

  async replaceHashes(contentId: string, hashes: ContentHashInsert[]): Promise<void> {
    await this.db.delete(contentHashes).where(eq(contentHashes.contentId, contentId));
    if (hashes.length > 0) await this.db.insert(contentHashes).values(hashes.map((h) => ({ ...h, contentId })));
  }

  async findHashes(contentId: string): Promise<ContentHashRow[]> {
    return this.db
      .select()
      .from(contentHashes)
      .where(eq(contentHashes.contentId, contentId))
      .orderBy(asc(contentHashes.frameIndex));
  }

  /**
   * Stores one scoring of an item by a model version. A repeat (a retried
   * classify job) stores nothing and returns the first, which routing used.
   */
  async addScores(values: ModelScoreInsert): Promise<ModelScoreRow> {
    const [row] = await this.db
      .insert(modelScores)
      .values(values)
      .onConflictDoNothing({ target: [modelScores.contentId, modelScores.modelId, modelScores.modelVersion] })
      .returning();
    if (row) return row;
    const [first] = await this.db
      .select()
      .from(modelScores)
      .where(and(eq(modelScores.contentId, values.contentId), eq(modelScores.modelId, values.modelId), eq(modelScores.modelVersion, values.modelVersion)));
    return first;
  }

  /** Many items' scores in one statement; a row already stored for the same item, model and version is kept. */
  async addScoresMany(values: ModelScoreInsert[]): Promise<void> {
    if (values.length === 0) return;
    await this.db
      .insert(modelScores)
      .values(values)
      .onConflictDoNothing({ target: [modelScores.contentId, modelScores.modelId, modelScores.modelVersion] });
  }

  async findScores(contentId: string): Promise<ModelScoreRow[]> {
    return this.db
      .select()
      .from(modelScores)
      .where(eq(modelScores.contentId, contentId))
      .orderBy(desc(modelScores.createdAt));
  }

  /** One model's scores of many items (its first scoring of each, as a classify job stores it once). */
  async scoresOfModel(contentIds: string[], modelId: string): Promise<ModelScoreRow[]> {
    if (contentIds.length === 0) return [];
    return this.db
      .select()
      .from(modelScores)
      .where(and(inArray(modelScores.contentId, contentIds), eq(modelScores.modelId, modelId)))
      .orderBy(asc(modelScores.createdAt));
  }

  /** The scores of the item a review task is about, newest first. */
  async findScoresOfTask(taskId: string): Promise<ModelScoreRow[]> {
    return this.db
      .select()
      .from(modelScores)
      .where(eq(modelScores.contentId, sql`(select ${reviewTasks.contentId} from ${reviewTasks} where ${reviewTasks.id} = ${taskId})`))
      .orderBy(desc(modelScores.createdAt));
  }
}
