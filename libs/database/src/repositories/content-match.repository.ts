import { Injectable } from '@nestjs/common';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { contentMatches, hashBanks } from '../schema';
import { RepositoryBase } from './repository.base';

export type ContentMatchRow = typeof contentMatches.$inferSelect;
export type ContentMatchInsert = Omit<typeof contentMatches.$inferInsert, 'id' | 'createdAt' | 'feedback'>;

@Injectable()
export class ContentMatchRepository extends RepositoryBase {
  /** The content's matches from one analysis; a retried job replaces what an earlier try wrote. */
  async replaceForContent(contentId: string, rows: ContentMatchInsert[]): Promise<void> {
    await this.db.delete(contentMatches).where(and(eq(contentMatches.contentId, contentId), isNull(contentMatches.feedback)));
    if (rows.length > 0) await this.db.insert(contentMatches).values(rows);
  }

  async findByContent(contentId: string): Promise<(ContentMatchRow & { bankName: string; bankKind: string; policyId: string | null })[]> {
    const rows = await this.db
      .select({ match: contentMatches, bankName: hashBanks.name, bankKind: hashBanks.kind, policyId: hashBanks.policyId })
      .from(contentMatches)
      .innerJoin(hashBanks, eq(hashBanks.id, contentMatches.bankId))
      .where(eq(contentMatches.contentId, contentId))
      .orderBy(asc(contentMatches.distance));
    return rows.map((r) => ({ ...r.match, bankName: r.bankName, bankKind: r.bankKind, policyId: r.policyId }));
  }

  /** The content's matches that no moderator verdict has been counted for yet. */
  async withoutFeedback(contentId: string): Promise<(ContentMatchRow & { bankKind: string; policyId: string | null })[]> {
    const rows = await this.db
      .select({ match: contentMatches, bankKind: hashBanks.kind, policyId: hashBanks.policyId })
      .from(contentMatches)
      .innerJoin(hashBanks, eq(hashBanks.id, contentMatches.bankId))
      .where(and(eq(contentMatches.contentId, contentId), isNull(contentMatches.feedback)));
    return rows.map((r) => ({ ...r.match, bankKind: r.bankKind, policyId: r.policyId }));
  }

  /** Records the verdict once; false when another decision already counted it. */
  async setFeedback(id: string, verdict: 'confirmed' | 'refuted'): Promise<boolean> {
    const rows = await this.db
      .update(contentMatches)
      .set({ feedback: verdict })
      .where(and(eq(contentMatches.id, id), isNull(contentMatches.feedback)))
      .returning({ id: contentMatches.id });
    return rows.length > 0;
  }
}
