/*
 * One api process from the build, on a fresh PostgreSQL database and Redis,
 * for the benches that drive Loupe over HTTP.
 *
 * BENCH_CPU_PROF=<dir> writes a CPU profile of the api process there;
 * BENCH_KEEP_DB=1 keeps the database afterwards (its URL is printed) so a
 * slow query can be looked at with EXPLAIN ANALYZE.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, TEST_REDIS_URL } from '../test/utils/postgres';
import { API_ENTRY, freePort, ROOT, startNode, startProcess } from '../test/utils/processes';

export interface BenchApi {
  url: string;
  adminKey: string;
  databaseUrl: string;
  dataDir: string;
  /** Creates an API key with this role and returns its secret. */
  key(role: string, name?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface BenchApiOptions {
  /** A database seeded by an earlier run: used as it is, and kept. */
  databaseUrl?: string;
  /** Starts tried before giving up: dist/ may be mid-rebuild by someone else on a shared machine. */
  attempts?: number;
}

export async function startBenchApi(name: string, env: Record<string, string> = {}, options: BenchApiOptions = {}): Promise<BenchApi> {
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `loupe-bench-${name}-`));
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const fullEnv = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `loupe-bench-${randomBytes(4).toString('hex')}`,
    DATA_DIR: dataDir,
    LOUPE_ADMIN_KEY: adminKey,
    LOUPE_MODE: 'api',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...env,
  };
  const url = `http://127.0.0.1:${port}`;
  const start = () =>
    process.env.BENCH_CPU_PROF
      ? startProcess(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, path.join(ROOT, API_ENTRY)], fullEnv)
      : startNode(API_ENTRY, fullEnv);
  let api: ReturnType<typeof startNode> | undefined;
  const stop = async () => {
    await api?.stop();
    if (process.env.BENCH_KEEP_DB || options.databaseUrl) console.error(`kept ${database.url}`);
    else await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    for (let attempt = 1; ; attempt++) {
      api = start();
      let up = false;
      for (let i = 0; i < 600 && !up && api.child.exitCode === null; i++) {
        up = await fetch(`${url}/health`).then((r) => r.ok, () => false);
        if (!up) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      if (up) break;
      await api.stop();
      if (attempt >= (options.attempts ?? 1)) throw new Error(`api did not start:\n${api.output()}`);
      console.error(`api did not start (attempt ${attempt}), retrying in 30 s:\n${api.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const key = async (role: string, keyName = `${role}-${randomBytes(3).toString('hex')}`) => {
    const response = await fetch(`${url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: keyName, role }),
    });
    return ((await response.json()) as { key: string }).key;
  };
  return { url, adminKey, databaseUrl: database.url, dataDir, key, stop };
}
