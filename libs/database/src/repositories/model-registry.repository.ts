import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, lt, lte, sql } from 'drizzle-orm';
import type { ServingState } from '@loupe/vocabulary';
import { modelAliases, modelDeployments, modelVersions } from '../schema';
import { RepositoryBase } from './repository.base';

export type ModelVersionRow = typeof modelVersions.$inferSelect;
export type ModelVersionInsert = Omit<typeof modelVersions.$inferInsert, 'id' | 'createdAt' | 'version'>;
export type ModelAliasRow = typeof modelAliases.$inferSelect;
export type ModelDeploymentRow = typeof modelDeployments.$inferSelect;

export const EMPTY_SERVING_STATE: ServingState = { policies: {}, experiments: {} };

/** Model versions, their aliases, and the history of what served what. */
@Injectable()
export class ModelRegistryRepository extends RepositoryBase {
  /** The next version number of the name, taken under a lock on the name so two writers cannot take the same one. */
  async addVersion(values: ModelVersionInsert): Promise<ModelVersionRow> {
    await this.lockName(values.modelName);
    const [{ next }] = await this.db
      .select({ next: sql<number>`coalesce(max(${modelVersions.version}), 0)::int + 1` })
      .from(modelVersions)
      .where(eq(modelVersions.modelName, values.modelName));
    const [row] = await this.db.insert(modelVersions).values({ ...values, version: Number(next) }).returning();
    return row;
  }

  /** Serialises writers of one model's versions across processes, until the transaction ends (addVersion takes it too). */
  async lockName(modelName: string): Promise<void> {
    await this.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`model:${modelName}`}))`);
  }

  async findVersion(modelName: string, version: number): Promise<ModelVersionRow | undefined> {
    const [row] = await this.db.select().from(modelVersions).where(and(eq(modelVersions.modelName, modelName), eq(modelVersions.version, version)));
    return row;
  }

  async findVersionById(id: string): Promise<ModelVersionRow | undefined> {
    const [row] = await this.db.select().from(modelVersions).where(eq(modelVersions.id, id));
    return row;
  }

  /** How many versions serve these bytes. */
  async versionsOfArtefact(sha256: string): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(modelVersions).where(eq(modelVersions.artefactSha256, sha256));
    return Number(row.n);
  }

  async latestVersion(modelName: string): Promise<ModelVersionRow | undefined> {
    const [row] = await this.db.select().from(modelVersions).where(eq(modelVersions.modelName, modelName)).orderBy(desc(modelVersions.version)).limit(1);
    return row;
  }

  async listVersions(modelName?: string): Promise<ModelVersionRow[]> {
    return this.db
      .select()
      .from(modelVersions)
      .where(modelName ? eq(modelVersions.modelName, modelName) : undefined)
      .orderBy(asc(modelVersions.modelName), desc(modelVersions.version));
  }

  async aliases(modelName?: string): Promise<ModelAliasRow[]> {
    return this.db
      .select()
      .from(modelAliases)
      .where(modelName ? eq(modelAliases.modelName, modelName) : undefined)
      .orderBy(asc(modelAliases.modelName), asc(modelAliases.alias));
  }

  async setAlias(modelName: string, alias: string, versionId: string, actorId: string | null): Promise<ModelAliasRow> {
    const [row] = await this.db
      .insert(modelAliases)
      .values({ modelName, alias, versionId, updatedBy: actorId })
      .onConflictDoUpdate({ target: [modelAliases.modelName, modelAliases.alias], set: { versionId, updatedBy: actorId, updatedAt: new Date() } })
      .returning();
    return row;
  }

  async removeAlias(modelName: string, alias: string): Promise<boolean> {
    const rows = await this.db.delete(modelAliases).where(and(eq(modelAliases.modelName, modelName), eq(modelAliases.alias, alias))).returning();
    return rows.length > 0;
  }

  /** Serialises changes of the serving state (promote, rollback, deploy) across processes, until the transaction ends. */
  async lockServing(): Promise<void> {
    await this.db.execute(sql`select pg_advisory_xact_lock(hashtext('loupe:serving-state'))`);
  }

  async addDeployment(values: Omit<typeof modelDeployments.$inferInsert, 'seq' | 'createdAt'>): Promise<ModelDeploymentRow> {
    const [row] = await this.db.insert(modelDeployments).values(values).returning();
    return row;
  }

  /** The latest change at or before `at` (now when absent). */
  async deploymentAt(at?: Date): Promise<ModelDeploymentRow | undefined> {
    const [row] = await this.db
      .select()
      .from(modelDeployments)
      .where(at ? lte(modelDeployments.createdAt, at) : undefined)
      .orderBy(desc(modelDeployments.seq))
      .limit(1);
    return row;
  }

  /** The change just before `seq`: the state a change started from. */
  async deploymentBefore(seq: number): Promise<ModelDeploymentRow | undefined> {
    const [row] = await this.db.select().from(modelDeployments).where(lt(modelDeployments.seq, seq)).orderBy(desc(modelDeployments.seq)).limit(1);
    return row;
  }

  async latestDeploymentSeq(): Promise<number> {
    const [row] = await this.db.select({ seq: sql<number>`coalesce(max(${modelDeployments.seq}), 0)` }).from(modelDeployments);
    return Number(row.seq);
  }

  /** The history of one model, newest first. */
  async deployments(modelName: string, limit: number): Promise<ModelDeploymentRow[]> {
    return this.db.select().from(modelDeployments).where(eq(modelDeployments.modelName, modelName)).orderBy(desc(modelDeployments.seq)).limit(limit);
  }
}
