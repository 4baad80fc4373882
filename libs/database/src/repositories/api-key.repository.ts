import { Injectable } from '@nestjs/common';
import { and, desc, eq, isNull, lt, ne } from 'drizzle-orm';
import { apiKeys } from '../schema';
import { RepositoryBase } from './repository.base';
import type { Role } from '@loupe/vocabulary';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

@Injectable()
export class ApiKeyRepository extends RepositoryBase {
  async create(values: { name: string; role: Role; keyHash: string; keyPrefix: string; createdBy: string | null }): Promise<ApiKeyRow> {
    const [row] = await this.db.insert(apiKeys).values(values).returning();
    return row;
  }

  /**
   * Inserts unless a key with that hash exists, so a seeded key survives
   * restarts; returns the row only when this call inserted it.
   */
  async ensure(values: { name: string; role: Role; keyHash: string; keyPrefix: string; seeded: boolean }): Promise<ApiKeyRow | undefined> {
    const [row] = await this.db.insert(apiKeys).values(values).onConflictDoNothing({ target: apiKeys.keyHash }).returning();
    return row;
  }

  /** The key with that hash, revoked or not. */
  async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1);
    return row;
  }

  /**
   * Revokes the seeded keys other than `keyHash` that were seeded before
   * `createdBefore`; returns those it revoked (none that another process
   * revoked first).
   */
  async revokeOlderSeeded(keyHash: string, createdBefore: Date): Promise<ApiKeyRow[]> {
    return this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.seeded, true), ne(apiKeys.keyHash, keyHash), lt(apiKeys.createdAt, createdBefore), isNull(apiKeys.revokedAt)))
      .returning();
  }

  async findActiveByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
      .limit(1);
    return row;
  }

  async list(): Promise<ApiKeyRow[]> {
    return this.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  }

  async revoke(id: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning();
    return row;
  }
}
