import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { PGlite } from '@electric-sql/pglite';
import { SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { Client, Pool, type ClientBase, type PoolClient } from 'pg';
import { PROJECT_ROOT } from '@loupe/common';
import type { DatabaseTarget } from '@loupe/config';
import { PgliteLock } from './pglite-lock';
import { PgliteThreadClient } from './pglite/pglite-thread.client';
import { preparingClient, StatementNames } from './postgres-statements';
import { grantServingRole } from './serving-role';
import * as schema from './schema';
import type { Database } from './database.types';

export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'libs/database/migrations');

// Any constant works; it only has to be the same in every Loupe process.
const MIGRATION_LOCK_KEY = 7_466_227_301;
const POOL_END_TIMEOUT_MS = 10_000;

/** An open database, migrated to the newest schema. */
export class DatabaseConnection {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly db: Database,
    readonly kind: DatabaseTarget['kind'],
    private readonly onClose: () => Promise<void>,
  ) {}

  static async open(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<DatabaseConnection> {
    return target.kind === 'postgres'
      ? this.openPostgres({ ...target, poolSize: options.poolSize ?? target.poolSize })
      : this.openPglite(target);
  }

  /**
   * With a migration URL, its role (the owner) migrates and grants the
   * serving role what it needs; the serving role never owns a table.
   */
  private static async openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<DatabaseConnection> {
    const { url, poolSize, migrationUrl, connectTimeoutMs, preparedStatements } = target;
    // Without a connect timeout, a request waits forever for a server that
    // accepts connections but never answers (or for a free client of a full
    // pool); with it, it fails and the client gets a 503 it can retry.
    const pool = new Pool({
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      ...(preparedStatements ? { Client: preparingClient(new StatementNames()) } : {}),
    });
    pool.on('error', (error) => this.logger.error(`Idle PostgreSQL client failed: ${error.message}`));
    // A client the pool has lent (inside a transaction, between two of its queries) has no listener of
    // the pool's: when the server goes away then, its 'error' event would be unhandled and end the
    // process. The query in flight, or the next one, fails with the error anyway, and becomes a 503.
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      if (migrationUrl) {
        const {
          rows: [serving],
        } = await pool.query<{ name: string }>('select current_user as name');
        const owner = new Client({ connectionString: migrationUrl });
        await owner.connect();
        try {
          await this.migrateLocked(owner, (client) => grantServingRole(client, serving.name));
        } finally {
          await owner.end();
        }
      } else {
        const client = await pool.connect();
        try {
          await this.migrateLocked(client);
        } finally {
          client.release();
        }
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new DatabaseConnection(drizzlePg(pool, { schema }) as unknown as Database, 'postgres', () => this.endPool(pool));
  }

  /**
   * pool.end() waits for every lent client to come back; one that never does
   * (a caller that lost it on an error path) would hold shutdown, and a
   * process asked to stop, for good. Past the bound the process says how
   * many were still lent and stops waiting; their sockets die with it.
   */
  private static async endPool(pool: Pool): Promise<void> {
    const clean = await Promise.race([pool.end().then(() => true), delay(POOL_END_TIMEOUT_MS, false, { ref: false })]);
    if (!clean) this.logger.warn(`${pool.totalCount - pool.idleCount} PostgreSQL client(s) still lent after ${POOL_END_TIMEOUT_MS / 1000} s of shutdown; closing without them`);
  }

  // Several api and worker processes may start at once; the advisory lock
  // lets exactly one of them migrate (and grant) while the others wait.
  private static async migrateLocked(client: Client | PoolClient, afterMigrate?: (client: ClientBase) => Promise<void>): Promise<void> {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      await afterMigrate?.(client);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  }

  private static async openPglite({ dataDir, statementStatsFile, sharedBuffers }: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<DatabaseConnection> {
    let lock: PgliteLock | null = null;
    if (dataDir) {
      mkdirSync(path.dirname(dataDir), { recursive: true });
      lock = PgliteLock.acquire(`${dataDir}.lock`);
    }
    try {
      // On a thread of its own (it migrates there before it answers): see pglite-thread.worker.
      const client = await PgliteThreadClient.start({ dataDir, migrationsFolder: MIGRATIONS_FOLDER, statementStatsFile, sharedBuffers });
      const db = drizzlePglite({ client: client as unknown as PGlite, schema });
      return new DatabaseConnection(db as unknown as Database, 'pglite', async () => {
        await client.close();
        lock?.release();
      });
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  /** Rows of a raw SQL query, whichever driver runs it. */
  async rows<T>(query: SQL): Promise<T[]> {
    const result = (await this.db.execute(query)) as unknown as { rows: T[] };
    return result.rows;
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
