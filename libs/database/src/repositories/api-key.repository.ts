import { Injectable } from '@nestjs/common';
import { and, desc, eq, isNull } from 'drizzle-orm';
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

  /** Inserts unless a key with that hash exists, so a seeded key survives restarts. */
  async ensure(values: { name: string; role: Role; keyHash: string; keyPrefix: string }): Promise<void> {
    await this.db.insert(apiKeys).values(values).onConflictDoNothing({ target: apiKeys.keyHash });
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
