import { Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { BankImportStatus } from '@loupe/vocabulary';
import { bankImports } from '../schema';
import { RepositoryBase } from './repository.base';

export type BankImportRow = typeof bankImports.$inferSelect;
export type BankImportInsert = Pick<typeof bankImports.$inferInsert, 'bankId' | 'format' | 'filePath' | 'createdBy'>;
export type BankImportProgress = Pick<BankImportRow, 'linesRead' | 'imported' | 'duplicates' | 'failed' | 'errors'>;

const UNFINISHED: BankImportStatus[] = ['pending', 'running'];
const sinceTouched = sql<Date>`coalesce(${bankImports.recoveredAt}, ${bankImports.createdAt})`;

@Injectable()
export class BankImportRepository extends RepositoryBase {
  async create(values: BankImportInsert): Promise<BankImportRow> {
    const [row] = await this.db.insert(bankImports).values(values).returning();
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(bankImports).where(eq(bankImports.id, id));
  }

  async find(bankId: string, id: string): Promise<BankImportRow | undefined> {
    const [row] = await this.db
      .select()
      .from(bankImports)
      .where(and(eq(bankImports.id, id), eq(bankImports.bankId, bankId)));
    return row;
  }

  async findById(id: string): Promise<BankImportRow | undefined> {
    const [row] = await this.db.select().from(bankImports).where(eq(bankImports.id, id));
    return row;
  }

  /** Pending or running imports not started, nor re-queued, since `olderThan`: the recovery sweep's candidates. */
  async findUnfinished(olderThan: Date, limit: number): Promise<BankImportRow[]> {
    return this.db
      .select()
      .from(bankImports)
      .where(and(inArray(bankImports.status, UNFINISHED), lt(sinceTouched, sql`${olderThan.toISOString()}::timestamptz`)))
      .orderBy(asc(sinceTouched), asc(bankImports.id))
      .limit(limit);
  }

  /** As ContentRepository.claimForRecovery: exactly one sweeper wins a stale import. */
  async claimForRecovery(id: string, olderThan: Date): Promise<BankImportRow | undefined> {
    const [row] = await this.db
      .update(bankImports)
      .set({ recoveryAttempts: sql`${bankImports.recoveryAttempts} + 1`, recoveredAt: sql`clock_timestamp()` })
      .where(and(eq(bankImports.id, id), inArray(bankImports.status, UNFINISHED), lt(sinceTouched, sql`${olderThan.toISOString()}::timestamptz`)))
      .returning();
    return row;
  }

  /** Fails an import only if it is still pending or running; returns whether it did. */
  async failUnfinished(id: string, reason: string): Promise<boolean> {
    const rows = await this.db
      .update(bankImports)
      .set({ status: 'failed', failureReason: reason, finishedAt: new Date() })
      .where(and(eq(bankImports.id, id), inArray(bankImports.status, UNFINISHED)))
      .returning({ id: bankImports.id });
    return rows.length > 0;
  }

  async progress(id: string, values: BankImportProgress & { status?: 'running' }): Promise<void> {
    await this.db.update(bankImports).set(values).where(eq(bankImports.id, id));
  }

  async finish(id: string, values: Partial<BankImportProgress> & { status: 'completed' | 'failed'; failureReason?: string }): Promise<void> {
    await this.db
      .update(bankImports)
      .set({ ...values, finishedAt: new Date() })
      .where(eq(bankImports.id, id));
  }
}
