import { randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoupeConfig } from '@loupe/config';
import { ProviderClass, providerOf, serverCode } from './server-code';
import { ApiClient } from './api-client';
import { createTestDatabase, TEST_REDIS_URL } from './postgres';

export type StoreKind = 'embedded' | 'real';

export interface TestApp {
  /**
   * The server's instance of a provider (a repository, a service) for what
   * HTTP cannot reach; see providerOf for why not Nest's app.get.
   */
  get<T>(type: ProviderClass<T>): T;
  config: LoupeConfig;
  baseUrl: string;
  dataDir: string;
  admin: ApiClient;
  /** A client with a fresh key of the given role. */
  client(role: 'admin' | 'service' | 'moderator' | 'ml_engineer' | 'analyst', name?: string): Promise<ApiClient>;
  close(): Promise<void>;
}

/**
 * The all-in-one server on real stores: PGlite with the in-process queue
 * ('embedded'), or a fresh PostgreSQL database with BullMQ on Redis under a
 * fresh key prefix ('real'). It listens on a random port; tests use HTTP.
 */
export async function startTestApp(stores: StoreKind, env: Record<string, string> = {}): Promise<TestApp> {
  // First: a build that cannot load leaves no directory or database behind.
  const { createApiApp, LoupeConfig } = serverCode();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loupe-test-'));
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  const database = stores === 'real' ? await createTestDatabase({ migrated: true }) : null;
  const embedded = database || env.DATABASE_URL ? null : await embeddedDatabase(dataDir);
  const config = LoupeConfig.fromEnv({
    DATA_DIR: dataDir,
    LOUPE_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'error',
    // No training on the clock: a test run at 02:00 UTC must not start one; the tests that want it set it.
    TRAINING_CRON: 'off',
    // Nor a trend scan on the clock: it would add a schedule to the learning queue, which a test counts.
    TREND_SCAN_CRON: 'off',
    COMPUTE_THREADS: '1',
    // One index shard thread: the tests hold a few hashes, and each thread costs a start.
    INDEX_THREADS: '1',
    // The backbone's exported graph, made once for every test server (its name changes with the exporter and the model).
    BACKBONE_ONNX_DIR: path.join(tmpdir(), 'loupe-test-backbone'),
    // Retro-hunts act on allowed content in the background: only the tests about them turn them on, so others stay exact.
    RETRO_HUNT_ON_BANK_CHANGE: 'false',
    RETRO_HUNT_ON_PROMOTION: 'false',
    ...(database ? { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `loupe-test-${randomBytes(4).toString('hex')}` } : {}),
    // A test's database is small: a 16MB buffer cache instead of 128MB, which PGlite zeroes at every start (0.35 s of CPU).
    ...(embedded ? { DATABASE_URL: embedded, PGLITE_SHARED_BUFFERS: '16MB' } : {}),
    ...env,
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const admin = new ApiClient(baseUrl, adminKey);
  return {
    get: (type) => providerOf(app, type),
    config,
    baseUrl,
    dataDir,
    admin,
    client: async (role, name = `${role}-${randomBytes(3).toString('hex')}`) => {
      const created = await admin.post('/v1/admin/api-keys', { json: { name, role } });
      if (created.status !== 201) throw new Error(`Could not create a ${role} key: ${created.status} ${created.text}`);
      return new ApiClient(baseUrl, (created.body as { key: string }).key);
    },
    close: async () => {
      await app.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * PGlite on a copy of the migrated data directory that Jest's global setup
 * made once (global-setup.js): a second instead of four. Without it (a
 * runner that skipped the global setup), a database in memory.
 */
export async function embeddedDatabase(dataDir: string): Promise<string> {
  const copy = embeddedTemplateCopy(dataDir);
  return copy ? `pglite://${copy}` : 'pglite://memory';
}

/**
 * A copy of the migrated PGlite data directory in `parent`/db, for a test
 * that opens PGlite itself: about 0.2 s, where an empty database in memory
 * runs initdb (3 to 5 s of CPU). Undefined without the global setup's
 * template: open one in memory then. Loupe's tables are in it.
 */
export function embeddedTemplateCopy(parent: string): string | undefined {
  const template = process.env.LOUPE_TEST_PGLITE_TEMPLATE;
  if (!template) return undefined;
  const copy = path.join(parent, 'db');
  // cpSync, not fs/promises' cp: the promise API cost 0.5 to 1 s of CPU for the template's files (1,222 then, about 620 since
  // global-setup drops the template databases), cpSync 0.15 to 0.25 s.
  cpSync(template, copy, { recursive: true });
  return copy;
}
