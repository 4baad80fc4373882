import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../schema';
import { RepositoryBase } from './repository.base';

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;

export interface IdempotencyScope {
  apiKeyId: string;
  key: string;
}

export type IdempotencyClaim =
  | { claimed: true; token: string }
  /** Someone else holds or held the key: their record, to replay or refuse. */
  | { claimed: false; existing: IdempotencyKeyRow };

@Injectable()
export class IdempotencyRepository extends RepositoryBase {
  /**
   * Claims a key in one statement. The primary key makes exactly one of any
   * concurrent claims win. An expired record is taken over, and so is an
   * in-flight one of the same request older than `staleSeconds` (its process
   * died before finishing); the row lock of ON CONFLICT DO UPDATE lets only one
   * of several takeovers succeed.
   */
  async claim(scope: IdempotencyScope, fingerprint: string, retentionSeconds: number, staleSeconds: number): Promise<IdempotencyClaim> {
    const token = randomUUID();
    const expiresAt = sql`now() + make_interval(secs => ${retentionSeconds})`;
    const [taken] = await this.db
      .insert(idempotencyKeys)
      .values({ apiKeyId: scope.apiKeyId, key: scope.key, fingerprint, claimToken: token, expiresAt })
      .onConflictDoUpdate({
        target: [idempotencyKeys.apiKeyId, idempotencyKeys.key],
        set: { fingerprint, claimToken: token, statusCode: null, responseBody: null, createdAt: sql`clock_timestamp()`, expiresAt },
        setWhere: sql`${idempotencyKeys.expiresAt} <= now() or (${idempotencyKeys.statusCode} is null and ${idempotencyKeys.fingerprint} = ${fingerprint} and ${idempotencyKeys.createdAt} < now() - make_interval(secs => ${staleSeconds}))`,
      })
      .returning({ token: idempotencyKeys.claimToken });
    if (taken) return { claimed: true, token: taken.token };
    const [existing] = await this.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.apiKeyId, scope.apiKeyId), eq(idempotencyKeys.key, scope.key)));
    // Gone between the two statements (purged or released): claim again.
    return existing ? { claimed: false, existing } : this.claim(scope, fingerprint, retentionSeconds, staleSeconds);
  }

  /** Stores the response of a claim that is still ours; false when it is not. */
  async complete(scope: IdempotencyScope, token: string, statusCode: number, responseBody: string): Promise<boolean> {
    const rows = await this.db
      .update(idempotencyKeys)
      .set({ statusCode, responseBody })
      .where(and(this.ours(scope, token), isNull(idempotencyKeys.statusCode)))
      .returning({ key: idempotencyKeys.key });
    return rows.length > 0;
  }

  /** Gives up a claim that is still ours and unfinished, so a retry runs the request again. */
  async release(scope: IdempotencyScope, token: string): Promise<void> {
    await this.db.delete(idempotencyKeys).where(and(this.ours(scope, token), isNull(idempotencyKeys.statusCode)));
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.db.delete(idempotencyKeys).where(lte(idempotencyKeys.expiresAt, sql`now()`)).returning({ key: idempotencyKeys.key });
    return rows.length;
  }

  private ours(scope: IdempotencyScope, token: string) {
    return and(eq(idempotencyKeys.apiKeyId, scope.apiKeyId), eq(idempotencyKeys.key, scope.key), eq(idempotencyKeys.claimToken, token));
  }
}
