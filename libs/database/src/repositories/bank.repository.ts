import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { bankHashItems, hashBankEntries, hashBanks } from '../schema';
import { fromDriverRow, RepositoryBase } from './repository.base';

export type HashBankRow = typeof hashBanks.$inferSelect;
export type HashBankInsert = Omit<typeof hashBanks.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type HashBankEntryRow = typeof hashBankEntries.$inferSelect;
export type HashBankEntryInsert = Omit<typeof hashBankEntries.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type BankHashItemRow = typeof bankHashItems.$inferSelect;
export type BankHashItemInsert = Pick<typeof bankHashItems.$inferInsert, 'frameNumber' | 'timestampSeconds' | 'hash' | 'quality'>;

export interface BankWithCounts extends HashBankRow {
  entryCount: number;
  activeEntryCount: number;
}

export interface NewEntry {
  entry: HashBankEntryInsert;
  items: BankHashItemInsert[];
}

/** An entry that is live in matching: enabled and not quarantined. */
export const ACTIVE_ENTRY = and(eq(hashBankEntries.enabled, true), isNull(hashBankEntries.quarantinedAt));

@Injectable()
export class BankRepository extends RepositoryBase {
  async create(values: HashBankInsert): Promise<HashBankRow> {
    const [row] = await this.db.insert(hashBanks).values(values).returning();
    return row;
  }

  /** Creates the bank unless one of that name exists; returns it either way. */
  async ensure(values: HashBankInsert): Promise<HashBankRow> {
    // One statement in the common case, since every removal by a moderator ensures its policy's
    // bank. An insert that conflicts returns nothing, and the bank that exists is read in its place.
    // Both branches list the columns in the schema's order (returning() does), not the table's.
    const columns = sql.join(Object.values(getTableColumns(hashBanks)).map((column) => sql.identifier(column.name)), sql`, `);
    const inserted = this.db.insert(hashBanks).values(values).onConflictDoNothing({ target: hashBanks.name }).returning();
    const result = (await this.db.execute(sql`
      with inserted as (${inserted.getSQL()})
      select * from inserted
      union all
      select ${columns} from ${hashBanks} where ${hashBanks.name} = ${values.name} and not exists (select 1 from inserted)`)) as unknown as {
      rows: Record<string, unknown>[];
    };
    if (result.rows[0]) return fromDriverRow<HashBankRow>(hashBanks, result.rows[0]);
    // A concurrent transaction inserted the bank after this statement's snapshot was taken: the
    // insert waited for it and did nothing, and the select could not see it yet. A new statement can.
    const [row] = await this.db.select().from(hashBanks).where(eq(hashBanks.name, values.name));
    return row;
  }

  async update(id: string, values: Partial<HashBankInsert>): Promise<HashBankRow | undefined> {
    const [row] = await this.db.update(hashBanks).set({ ...values, updatedAt: new Date() }).where(eq(hashBanks.id, id)).returning();
    return row;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(hashBanks).where(eq(hashBanks.id, id)).returning({ id: hashBanks.id });
    return rows.length > 0;
  }

  async findById(id: string): Promise<HashBankRow | undefined> {
    const [row] = await this.db.select().from(hashBanks).where(eq(hashBanks.id, id));
    return row;
  }

  async findByName(name: string): Promise<HashBankRow | undefined> {
    const [row] = await this.db.select().from(hashBanks).where(eq(hashBanks.name, name));
    return row;
  }

  async list(): Promise<BankWithCounts[]> {
    const counts = this.db
      .select({
        bankId: hashBankEntries.bankId,
        entryCount: sql<number>`count(*)::int`.as('entry_count'),
        activeEntryCount: sql<number>`(count(*) filter (where ${ACTIVE_ENTRY}))::int`.as('active_entry_count'),
      })
      .from(hashBankEntries)
      .groupBy(hashBankEntries.bankId)
      .as('counts');
    const rows = await this.db
      .select({ bank: hashBanks, entryCount: counts.entryCount, activeEntryCount: counts.activeEntryCount })
      .from(hashBanks)
      .leftJoin(counts, eq(counts.bankId, hashBanks.id))
      .orderBy(asc(hashBanks.name));
    return rows.map((r) => ({ ...r.bank, entryCount: r.entryCount ?? 0, activeEntryCount: r.activeEntryCount ?? 0 }));
  }

  /**
   * Adds entries with their hash items. An entry whose fingerprint the bank
   * already holds is skipped and reported as a duplicate, never overwritten.
   */
  async addEntries(entries: NewEntry[]): Promise<{ created: HashBankEntryRow[]; duplicates: NewEntry[]; itemIds: number[] }> {
    const key = (e: { bankId: string; signalType: string; fingerprint: string }) => `${e.bankId}|${e.signalType}|${e.fingerprint}`;
    // The same media twice in one batch: the first is banked, the rest are duplicates like any other.
    const unique = new Map<string, NewEntry>();
    const duplicates: NewEntry[] = [];
    for (const e of entries) {
      if (unique.has(key(e.entry))) duplicates.push(e);
      else unique.set(key(e.entry), e);
    }
    if (unique.size === 0) return { created: [], duplicates, itemIds: [] };
    const created = await this.db
      .insert(hashBankEntries)
      .values([...unique.values()].map((e) => e.entry))
      .onConflictDoNothing()
      .returning();
    const byKey = new Map(created.map((row) => [key(row), row]));
    const items = [...unique.values()].flatMap((e) => {
      const row = byKey.get(key(e.entry));
      return row ? e.items.map((item) => ({ ...item, entryId: row.id, bankId: row.bankId })) : [];
    });
    const itemIds: number[] = [];
    // Chunks keep every statement well under PostgreSQL's 65535 parameters.
    for (let i = 0; i < items.length; i += 5000) {
      const inserted = await this.db.insert(bankHashItems).values(items.slice(i, i + 5000)).returning({ id: bankHashItems.id });
      itemIds.push(...inserted.map((r) => r.id));
    }
    for (const [k, e] of unique) if (!byKey.has(k)) duplicates.push(e);
    return { created, duplicates, itemIds };
  }

  async entriesOfContent(contentId: string): Promise<HashBankEntryRow[]> {
    return this.db.select().from(hashBankEntries).where(eq(hashBankEntries.contentId, contentId));
  }

  async findEntryByFingerprint(bankId: string, signalType: string, fingerprint: string): Promise<HashBankEntryRow | undefined> {
    const [row] = await this.db
      .select()
      .from(hashBankEntries)
      .where(and(eq(hashBankEntries.bankId, bankId), eq(hashBankEntries.signalType, signalType as 'pdq'), eq(hashBankEntries.fingerprint, fingerprint)));
    return row;
  }

  async findEntry(bankId: string, entryId: string): Promise<HashBankEntryRow | undefined> {
    const [row] = await this.db
      .select()
      .from(hashBankEntries)
      .where(and(eq(hashBankEntries.id, entryId), eq(hashBankEntries.bankId, bankId)));
    return row;
  }

  /** Entries newest first, a page at a time: pass the last `seq` of a page to get the next. */
  async listEntries(bankId: string, limit: number, beforeSeq?: number): Promise<HashBankEntryRow[]> {
    return this.db
      .select()
      .from(hashBankEntries)
      .where(and(eq(hashBankEntries.bankId, bankId), beforeSeq === undefined ? undefined : lt(hashBankEntries.seq, beforeSeq)))
      .orderBy(desc(hashBankEntries.seq))
      .limit(limit);
  }

  /** Entries in insertion order after `afterSeq`, for streaming exports. */
  async entriesAfter(bankId: string, limit: number, afterSeq = 0): Promise<HashBankEntryRow[]> {
    return this.db
      .select()
      .from(hashBankEntries)
      .where(and(eq(hashBankEntries.bankId, bankId), gt(hashBankEntries.seq, afterSeq)))
      .orderBy(asc(hashBankEntries.seq))
      .limit(limit);
  }

  async updateEntry(id: string, values: Partial<Pick<HashBankEntryRow, 'note' | 'tags' | 'enabled' | 'disabledReason' | 'quarantinedAt'>>): Promise<HashBankEntryRow | undefined> {
    const [row] = await this.db
      .update(hashBankEntries)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(hashBankEntries.id, id))
      .returning();
    return row;
  }

  /** Counts one confirmation or refutation; returns the new counts. */
  async recordFeedback(entryId: string, verdict: 'confirmed' | 'refuted'): Promise<HashBankEntryRow | undefined> {
    const column = verdict === 'confirmed' ? hashBankEntries.confirmedCount : hashBankEntries.refutedCount;
    const [row] = await this.db
      .update(hashBankEntries)
      .set({ [verdict === 'confirmed' ? 'confirmedCount' : 'refutedCount']: sql`${column} + 1`, updatedAt: new Date() })
      .where(eq(hashBankEntries.id, entryId))
      .returning();
    return row;
  }

  async itemsOfEntries(entryIds: string[]): Promise<BankHashItemRow[]> {
    if (entryIds.length === 0) return [];
    return this.db
      .select()
      .from(bankHashItems)
      .where(inArray(bankHashItems.entryId, entryIds))
      .orderBy(asc(bankHashItems.entryId), asc(bankHashItems.frameNumber));
  }

  async itemIdsOfBank(bankId: string): Promise<number[]> {
    const rows = await this.db.select({ id: bankHashItems.id }).from(bankHashItems).where(eq(bankHashItems.bankId, bankId));
    return rows.map((r) => r.id);
  }

  async resetFeedback(entryId: string): Promise<void> {
    await this.db.update(hashBankEntries).set({ confirmedCount: 0, refutedCount: 0 }).where(eq(hashBankEntries.id, entryId));
  }
}
