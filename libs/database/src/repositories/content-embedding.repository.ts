import { Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, isNotNull, isNull, SQL, sql } from 'drizzle-orm';
import { contentEmbeddings } from '../schema';
import { float4Array } from './float4-array';
import { RepositoryBase } from './repository.base';

export type ContentEmbeddingRow = typeof contentEmbeddings.$inferSelect;
export type ContentEmbeddingInsert = Omit<typeof contentEmbeddings.$inferInsert, 'id' | 'createdAt'>;

/** A float array bound as one binary parameter (float4Array), cast so both drivers' servers read it as real[]. */
function realArray(values: number[]): SQL {
  return sql`${float4Array(values)}::real[]`;
}

@Injectable()
export class ContentEmbeddingRepository extends RepositoryBase {
  /**
   * Stores the vectors; a row already stored (a retried job) keeps its own,
   * and gains a readout or outputs that it lacks (a row stored before they existed).
   */
  async addAll(rows: ContentEmbeddingInsert[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insert(contentEmbeddings)
      .values(
        rows.map((row) => ({
          ...row,
          pooled: realArray(row.pooled),
          dense: realArray(row.dense),
          midGem: row.midGem ? realArray(row.midGem) : row.midGem,
        })),
      )
      .onConflictDoUpdate({
        target: [contentEmbeddings.contentId, contentEmbeddings.backbone, contentEmbeddings.frameIndex],
        set: {
          midGem: sql`coalesce(${contentEmbeddings.midGem}, excluded.mid_gem)`,
          outputs: sql`coalesce(${contentEmbeddings.outputs}, excluded.outputs)`,
        },
      });
  }

  /** The item's vectors: its own first, then its frames in order. */
  async findByContent(contentId: string): Promise<ContentEmbeddingRow[]> {
    return this.db
      .select()
      .from(contentEmbeddings)
      .where(eq(contentEmbeddings.contentId, contentId))
      .orderBy(sql`${contentEmbeddings.frameIndex} nulls first`, asc(contentEmbeddings.backbone));
  }

  /** Each item's own vector (not its frames'), for the items that have one. */
  async itemVectors(contentIds: string[]): Promise<ContentEmbeddingRow[]> {
    if (contentIds.length === 0) return [];
    return this.db
      .select()
      .from(contentEmbeddings)
      .where(and(inArray(contentEmbeddings.contentId, contentIds), isNull(contentEmbeddings.frameIndex)));
  }

  /**
   * The per-frame rows of the items that have them (several frames: a video
   * or an animated image), by item and in frame order.
   */
  async frameVectors(contentIds: string[]): Promise<ContentEmbeddingRow[]> {
    if (contentIds.length === 0) return [];
    return this.db
      .select()
      .from(contentEmbeddings)
      .where(and(inArray(contentEmbeddings.contentId, contentIds), isNotNull(contentEmbeddings.frameIndex)))
      .orderBy(asc(contentEmbeddings.contentId), asc(contentEmbeddings.backbone), asc(contentEmbeddings.frameIndex));
  }

  /** The most recent items' own vectors, newest first. */
  async recentItemVectors(limit: number): Promise<ContentEmbeddingRow[]> {
    return this.db.select().from(contentEmbeddings).where(isNull(contentEmbeddings.frameIndex)).orderBy(sql`${contentEmbeddings.createdAt} desc`).limit(limit);
  }
}
