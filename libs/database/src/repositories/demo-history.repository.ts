import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { RepositoryBase } from './repository.base';

export interface ContentTimeMove {
  contentId: string;
  /** The item's new upload time. */
  to: Date;
}

/** The tables whose rows belong to one content item (`content_id`) and carry its time (`created_at`). */
const ITEM_TABLES = [
  'content_hashes',
  'model_scores',
  'content_embeddings',
  'content_matches',
  'content_decisions',
  'content_reports',
  'review_cases',
  'review_tasks',
  'review_decisions',
  'training_labels',
];

/**
 * Exists for sample data only (`loupe demo history`). Ingest stamps every row
 * with the time it happens and takes no event time, so a sample history made
 * in two minutes through the API would fall into one hourly bin; the trend
 * scan bins by `contents.created_at` and needs hours behind a burst. This
 * moves items back, as the trend e2e test does, with their whole history.
 * It is not a backdating API: no HTTP route reaches it, only the command
 * line with the database's own access.
 */
@Injectable()
export class DemoHistoryRepository extends RepositoryBase {
  /**
   * Moves each item's upload time to `to`, and the creation time of every
   * row recorded about it by the same delta, so that its history keeps its
   * order: the trend scan reads decisions, reports and matches; the misses
   * and accuracy reports read the scores and the review rows beside them
   * (a decision older than its case would lose its case). Other timestamps
   * (deadlines, leases) stay. Returns how many items were found and moved.
   */
  async shiftContentTimes(moves: ContentTimeMove[]): Promise<number> {
    if (moves.length === 0) return 0;
    const payload = sql`${JSON.stringify(moves.map((m) => ({ id: m.contentId, to: m.to.toISOString() })))}::jsonb`;
    const shift = sql`shift as (
      select c.id, (m->>'to')::timestamptz - c.created_at as delta
      from jsonb_array_elements(${payload}) m join contents c on c.id = (m->>'id')::uuid)`;
    return this.db.transaction(async (tx) => {
      for (const table of ITEM_TABLES) {
        await tx.execute(sql`with ${shift} update ${sql.identifier(table)} t set created_at = t.created_at + shift.delta from shift where t.content_id = shift.id`);
      }
      const moved = (await tx.execute(sql`with ${shift} update contents c set created_at = c.created_at + shift.delta, posted_at = c.posted_at + shift.delta from shift where c.id = shift.id returning c.id`)) as unknown as {
        rows: unknown[];
      };
      return moved.rows.length;
    });
  }
}
