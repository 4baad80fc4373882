import { Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { bankImports } from '../schema';
import { RepositoryBase } from './repository.base';

export type BankImportRow = typeof bankImports.$inferSelect;
export type BankImportInsert = Pick<typeof bankImports.$inferInsert, 'bankId' | 'format' | 'filePath' | 'createdBy'>;
export type BankImportProgress = Pick<BankImportRow, 'linesRead' | 'imported' | 'duplicates' | 'failed' | 'errors'>;

@Injectable()
export class BankImportRepository extends RepositoryBase {
  async create(values: BankImportInsert): Promise<BankImportRow> {
    const [row] = await this.db.insert(bankImports).values(values).returning();
    return row;
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
