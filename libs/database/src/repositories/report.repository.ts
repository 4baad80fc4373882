import { Injectable } from '@nestjs/common';
import { and, desc, eq } from 'drizzle-orm';
import { appeals, contentReports } from '../schema';
import { RepositoryBase } from './repository.base';
import type { AppealStatus } from '@loupe/vocabulary';

export type ContentReportRow = typeof contentReports.$inferSelect;
export type AppealRow = typeof appeals.$inferSelect;

/** What the platform tells Loupe about an item after ingest: user reports, appeals, view counts. */
@Injectable()
export class ReportRepository extends RepositoryBase {
  async addReport(values: Pick<ContentReportRow, 'contentId' | 'policyId' | 'reason' | 'reporterRef' | 'caseId'> & { createdAt?: Date }): Promise<ContentReportRow> {
    const [row] = await this.db.insert(contentReports).values(values).returning();
    return row;
  }

  async createAppeal(values: Pick<AppealRow, 'contentId' | 'decisionId' | 'statement'>): Promise<AppealRow> {
    const [row] = await this.db.insert(appeals).values(values).returning();
    return row;
  }

  async findAppeal(id: string): Promise<AppealRow | undefined> {
    const [row] = await this.db.select().from(appeals).where(eq(appeals.id, id));
    return row;
  }

  async openAppeal(contentId: string): Promise<AppealRow | undefined> {
    const [row] = await this.db
      .select()
      .from(appeals)
      .where(and(eq(appeals.contentId, contentId), eq(appeals.status, 'open')));
    return row;
  }

  async appealsOf(contentId: string): Promise<AppealRow[]> {
    return this.db.select().from(appeals).where(eq(appeals.contentId, contentId)).orderBy(desc(appeals.createdAt));
  }

  async setAppealCase(id: string, caseId: string): Promise<void> {
    await this.db.update(appeals).set({ caseId }).where(eq(appeals.id, id));
  }

  async closeAppeal(id: string, status: Exclude<AppealStatus, 'open'>): Promise<void> {
    await this.db.update(appeals).set({ status, decidedAt: new Date() }).where(eq(appeals.id, id));
  }
}
