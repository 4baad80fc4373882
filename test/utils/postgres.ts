import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The real services on every machine (see DEVELOPERS.md); override with TEST_DATABASE_URL / TEST_REDIS_URL. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh database per test suite, so suites never see each other's rows.
 * Empty, or with `migrated`, a copy of the migrated template that Jest's
 * global setup made (global-setup.js): a server's start then finds nothing
 * to migrate. Tests of migrating itself (several processes starting at once,
 * a separate owner role) take an empty one. Without the template (a runner
 * that skipped the global setup), empty either way: the server migrates it.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `loupe_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? process.env.LOUPE_TEST_POSTGRES_TEMPLATE : undefined;
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(TEST_POSTGRES_URL, name),
    drop: async () => {
      const client = new Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
