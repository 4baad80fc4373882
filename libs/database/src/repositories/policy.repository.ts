import { Injectable } from '@nestjs/common';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { policies, policyCatalogVersions } from '../schema';
import { RepositoryBase } from './repository.base';

export type PolicyRow = typeof policies.$inferSelect;
export type PolicyDefinition = Omit<typeof policies.$inferInsert, 'createdAt' | 'updatedAt' | 'updatedBy'>;

@Injectable()
export class PolicyRepository extends RepositoryBase {
  async list(): Promise<PolicyRow[]> {
    return this.db.select().from(policies).orderBy(asc(policies.id));
  }

  async findById(id: string): Promise<PolicyRow | undefined> {
    const [row] = await this.db.select().from(policies).where(eq(policies.id, id));
    return row;
  }

  async findByIds(ids: string[]): Promise<PolicyRow[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(policies).where(inArray(policies.id, ids));
  }

  async latestCatalogVersion(): Promise<number | null> {
    const [row] = await this.db.select({ version: sql<number | null>`max(${policyCatalogVersions.version})` }).from(policyCatalogVersions);
    return row?.version ?? null;
  }

  /**
   * Writes a catalog version. Definitions follow the file; thresholds come
   * from the file only for new policies, because after that they belong to
   * the audited threshold API.
   */
  async applyCatalog(version: number, checksum: string, definitions: PolicyDefinition[]): Promise<void> {
    for (const definition of definitions) {
      const { reviewThreshold: _review, removeThreshold: _remove, id: _id, ...descriptive } = definition;
      await this.db
        .insert(policies)
        .values(definition)
        .onConflictDoUpdate({ target: policies.id, set: { ...descriptive, updatedAt: new Date() } });
    }
    await this.db.insert(policyCatalogVersions).values({ version, checksum }).onConflictDoNothing();
  }

  async updateThresholds(id: string, review: number, remove: number, actorId: string | null): Promise<PolicyRow | undefined> {
    const [row] = await this.db
      .update(policies)
      .set({ reviewThreshold: review, removeThreshold: remove, updatedBy: actorId, updatedAt: new Date() })
      .where(eq(policies.id, id))
      .returning();
    return row;
  }
}
