import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { BankEntrySource, hashBankEntries, hashBanks, SignalType } from '../schema';
import { RepositoryBase } from './repository.base';

export type HashBankRow = typeof hashBanks.$inferSelect;
export type HashBankEntryRow = typeof hashBankEntries.$inferSelect;

export interface BankMatch {
  entryId: string;
  bankId: string;
  bankName: string;
  policyId: string | null;
  hash: string;
  distance: number;
}

@Injectable()
export class BankRepository extends RepositoryBase {
  async ensureBank(name: string, values: { description: string; policyId: string | null }): Promise<HashBankRow> {
    await this.db.insert(hashBanks).values({ name, ...values }).onConflictDoNothing({ target: hashBanks.name });
    const [row] = await this.db.select().from(hashBanks).where(eq(hashBanks.name, name));
    return row;
  }

  /** Adds a hash to a bank; adding the same hash again is a no-op that returns the existing entry. */
  async addEntry(values: {
    bankId: string;
    signalType: SignalType;
    hash: string;
    quality: number;
    source: BankEntrySource;
    contentId: string | null;
  }): Promise<HashBankEntryRow> {
    const [inserted] = await this.db.insert(hashBankEntries).values(values).onConflictDoNothing().returning();
    if (inserted) return inserted;
    const [existing] = await this.db
      .select()
      .from(hashBankEntries)
      .where(
        and(
          eq(hashBankEntries.bankId, values.bankId),
          eq(hashBankEntries.signalType, values.signalType),
          eq(hashBankEntries.hash, values.hash),
        ),
      );
    return existing;
  }

  /**
   * Every PDQ entry within `maxDistance` of `hash`, nearest first. A linear
   * scan in the database: exact, and fine for the sizes a fresh install has.
   */
  async findNearPdq(hash: string, maxDistance: number): Promise<BankMatch[]> {
    const distance = sql<number>`bit_count(('x' || ${hashBankEntries.hash})::bit(256) # ('x' || ${hash})::bit(256))::int`;
    return this.db
      .select({
        entryId: hashBankEntries.id,
        bankId: hashBanks.id,
        bankName: hashBanks.name,
        policyId: hashBanks.policyId,
        hash: hashBankEntries.hash,
        distance,
      })
      .from(hashBankEntries)
      .innerJoin(hashBanks, eq(hashBanks.id, hashBankEntries.bankId))
      .where(and(eq(hashBankEntries.signalType, 'pdq'), sql`${distance} <= ${maxDistance}`))
      .orderBy(distance);
  }
}
