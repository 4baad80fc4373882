import { Injectable } from '@nestjs/common';
import { asc, eq, sql } from 'drizzle-orm';
import { contentEmbeddings } from '../schema';
import { RepositoryBase } from './repository.base';

export type ContentEmbeddingRow = typeof contentEmbeddings.$inferSelect;
export type ContentEmbeddingInsert = Omit<typeof contentEmbeddings.$inferInsert, 'id' | 'createdAt'>;

@Injectable()
export class ContentEmbeddingRepository extends RepositoryBase {
  /** Stores the vectors; those already stored (a retried job) are left as they are. */
  async addAll(rows: ContentEmbeddingInsert[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insert(contentEmbeddings).values(rows).onConflictDoNothing();
  }

  /** The item's vectors: its own first, then its frames in order. */
  async findByContent(contentId: string): Promise<ContentEmbeddingRow[]> {
    return this.db
      .select()
      .from(contentEmbeddings)
      .where(eq(contentEmbeddings.contentId, contentId))
      .orderBy(sql`${contentEmbeddings.frameIndex} nulls first`, asc(contentEmbeddings.backbone));
  }
}
