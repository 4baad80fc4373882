import { Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TrainingProgress, TrainingRunStatus, TrainingTrigger } from '@loupe/vocabulary';
import { trainingRuns } from '../schema';
import { RepositoryBase } from './repository.base';

export type TrainingRunRow = typeof trainingRuns.$inferSelect;
export type TrainingRunInsert = Omit<typeof trainingRuns.$inferInsert, 'id' | 'createdAt' | 'status'>;

const ACTIVE: TrainingRunStatus[] = ['queued', 'running'];

@Injectable()
export class TrainingRunRepository extends RepositoryBase {
  /** A new queued run, or undefined when one is queued or running already (the partial unique index decides, race-free). */
  async createIfIdle(values: TrainingRunInsert): Promise<TrainingRunRow | undefined> {
    const [row] = await this.db.insert(trainingRuns).values(values).onConflictDoNothing().returning();
    return row;
  }

  async findActive(): Promise<TrainingRunRow | undefined> {
    const [row] = await this.db.select().from(trainingRuns).where(inArray(trainingRuns.status, ACTIVE));
    return row;
  }

  async findById(id: string): Promise<TrainingRunRow | undefined> {
    const [row] = await this.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    return row;
  }

  async list(limit: number): Promise<TrainingRunRow[]> {
    return this.db.select().from(trainingRuns).orderBy(desc(trainingRuns.createdAt)).limit(limit);
  }

  /** Marks a queued run running; undefined if it is not queued (cancelled, or taken by a retry that already ended it). */
  async start(id: string): Promise<TrainingRunRow | undefined> {
    const [row] = await this.db
      .update(trainingRuns)
      .set({ status: 'running', startedAt: sql`coalesce(${trainingRuns.startedAt}, now())` })
      .where(and(eq(trainingRuns.id, id), inArray(trainingRuns.status, ACTIVE)))
      .returning();
    return row;
  }

  async setProgress(id: string, progress: TrainingProgress): Promise<void> {
    await this.db.update(trainingRuns).set({ progress }).where(eq(trainingRuns.id, id));
  }

  async setDataset(id: string, datasetId: string): Promise<void> {
    await this.db.update(trainingRuns).set({ datasetId }).where(eq(trainingRuns.id, id));
  }

  /** Ends an active run; undefined if it had ended already. */
  async finish(
    id: string,
    status: Exclude<TrainingRunStatus, 'queued' | 'running'>,
    values: { message?: string | null; modelVersionId?: string | null } = {},
  ): Promise<TrainingRunRow | undefined> {
    const [row] = await this.db
      .update(trainingRuns)
      .set({ status, finishedAt: new Date(), ...values })
      .where(and(eq(trainingRuns.id, id), inArray(trainingRuns.status, ACTIVE)))
      .returning();
    return row;
  }

  /** Asks an active run to stop; a queued run is cancelled at once. */
  async requestCancel(id: string): Promise<TrainingRunRow | undefined> {
    const [row] = await this.db
      .update(trainingRuns)
      .set({
        cancelRequested: true,
        status: sql`case when ${trainingRuns.status} = 'queued' then 'cancelled' else ${trainingRuns.status} end`,
        finishedAt: sql`case when ${trainingRuns.status} = 'queued' then now() else ${trainingRuns.finishedAt} end`,
      })
      .where(and(eq(trainingRuns.id, id), inArray(trainingRuns.status, ACTIVE)))
      .returning();
    return row;
  }

  async cancelRequested(id: string): Promise<boolean> {
    const [row] = await this.db.select({ cancel: trainingRuns.cancelRequested }).from(trainingRuns).where(eq(trainingRuns.id, id));
    return row?.cancel ?? true;
  }

  /** When the latest run (of a trigger, or of any) was requested. */
  async lastCreatedAt(trigger?: TrainingTrigger): Promise<Date | null> {
    const [row] = await this.db
      .select({ at: trainingRuns.createdAt })
      .from(trainingRuns)
      .where(trigger ? eq(trainingRuns.trigger, trigger) : undefined)
      .orderBy(desc(trainingRuns.createdAt))
      .limit(1);
    return row?.at ?? null;
  }
}
