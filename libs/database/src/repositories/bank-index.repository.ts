import { Injectable } from '@nestjs/common';
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { bankHashItems, bankIndexChanges, hashBankEntries, hashBanks } from '../schema';
import { ACTIVE_ENTRY, HashBankEntryRow, HashBankRow } from './bank.repository';
import { RepositoryBase } from './repository.base';

export interface IndexChange {
  seq: number;
  op: 'add' | 'remove';
  itemIds: number[];
}

/** A matched index item, resolved to its entry and bank as the database sees them now. */
export interface ResolvedItem {
  itemId: number;
  frameNumber: number | null;
  itemQuality: number;
  entry: HashBankEntryRow;
  bank: HashBankRow;
}

/** What the in-memory match index reads and how it stays in step with the database. */
@Injectable()
export class BankIndexRepository extends RepositoryBase {
  /** Items of active entries with id above `afterId`, in id order: the index loads in pages. */
  async activeItems(afterId: number, limit: number): Promise<{ id: number; hash: string }[]> {
    return this.db
      .select({ id: bankHashItems.id, hash: bankHashItems.hash })
      .from(bankHashItems)
      .innerJoin(hashBankEntries, eq(hashBankEntries.id, bankHashItems.entryId))
      .where(and(gt(bankHashItems.id, afterId), ACTIVE_ENTRY))
      .orderBy(asc(bankHashItems.id))
      .limit(limit);
  }

  async countActiveItems(): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(bankHashItems)
      .innerJoin(hashBankEntries, eq(hashBankEntries.id, bankHashItems.entryId))
      .where(ACTIVE_ENTRY);
    return row.n;
  }

  async hashesOf(itemIds: number[]): Promise<{ id: number; hash: string }[]> {
    if (itemIds.length === 0) return [];
    return this.db.select({ id: bankHashItems.id, hash: bankHashItems.hash }).from(bankHashItems).where(inArray(bankHashItems.id, itemIds));
  }

  /**
   * Resolves index hits to live entries and their banks. The index may still
   * hold an item whose entry was just disabled or deleted; this join is what
   * keeps such an item from ever matching.
   */
  async resolveActive(itemIds: number[]): Promise<ResolvedItem[]> {
    if (itemIds.length === 0) return [];
    const rows = await this.db
      .select({ item: bankHashItems, entry: hashBankEntries, bank: hashBanks })
      .from(bankHashItems)
      .innerJoin(hashBankEntries, eq(hashBankEntries.id, bankHashItems.entryId))
      .innerJoin(hashBanks, eq(hashBanks.id, hashBankEntries.bankId))
      .where(and(inArray(bankHashItems.id, itemIds), ACTIVE_ENTRY));
    return rows.map((r) => ({ itemId: r.item.id, frameNumber: r.item.frameNumber, itemQuality: r.item.quality, entry: r.entry, bank: r.bank }));
  }

  async appendChange(op: 'add' | 'remove', itemIds: number[]): Promise<void> {
    if (itemIds.length > 0) await this.db.insert(bankIndexChanges).values({ op, itemIds });
  }

  async latestSeq(): Promise<number> {
    const [row] = await this.db.select({ seq: sql<number | null>`max(${bankIndexChanges.seq})` }).from(bankIndexChanges);
    return Number(row?.seq ?? 0);
  }

  /**
   * What a search needs to know first, in one statement (every upload asks):
   * the last change logged, and the largest PDQ distance any bank uses, which
   * is how far the index must search (0 without banks).
   */
  async searchState(): Promise<{ latestSeq: number; maxPdqDistance: number }> {
    const [row] = await this.db
      .select({
        seq: sql<number | null>`max(${bankIndexChanges.seq})`,
        distance: sql<number | null>`(select max(${hashBanks.pdqDistance}) from ${hashBanks})`,
      })
      .from(bankIndexChanges);
    return { latestSeq: Number(row?.seq ?? 0), maxPdqDistance: Number(row?.distance ?? 0) };
  }

  /**
   * Changes written in the last `windowSeconds`. Sequence numbers are handed
   * out before commit, so a later number can become visible before an earlier
   * one; re-reading a recent window, not just "after the last seq seen",
   * catches the late commits.
   */
  async recentChanges(windowSeconds: number): Promise<IndexChange[]> {
    const rows = await this.db
      .select({ seq: bankIndexChanges.seq, op: bankIndexChanges.op, itemIds: bankIndexChanges.itemIds })
      .from(bankIndexChanges)
      .where(sql`${bankIndexChanges.createdAt} > now() - make_interval(secs => ${windowSeconds})`)
      .orderBy(asc(bankIndexChanges.seq));
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  async pruneChanges(olderThanSeconds: number): Promise<void> {
    await this.db.delete(bankIndexChanges).where(lt(bankIndexChanges.createdAt, sql`now() - make_interval(secs => ${olderThanSeconds})`));
  }
}
