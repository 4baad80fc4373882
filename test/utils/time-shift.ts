import { sql } from 'drizzle-orm';
import type { DatabaseConnection } from '@loupe/database';

/**
 * Moves an item, and everything stamped about it (its decisions, reports and
 * bank matches), to `when`, as one delta per item: ingest takes no event
 * time, so tests that need a history across hours build it through HTTP now
 * and then move each item back onto its simulated hour.
 */
export async function moveContentTo(db: DatabaseConnection, contentId: string, when: Date | string): Promise<void> {
  const at = typeof when === 'string' ? when : when.toISOString();
  for (const table of ['content_decisions', 'content_reports', 'content_matches']) {
    await db.rows(sql`
      with shift as (select ${at}::timestamptz - created_at as delta from contents where id = ${contentId}::uuid)
      update ${sql.identifier(table)} t set created_at = t.created_at + shift.delta from shift where t.content_id = ${contentId}::uuid`);
  }
  await db.rows(sql`update contents set created_at = ${at}::timestamptz, posted_at = ${at}::timestamptz where id = ${contentId}::uuid`);
}
