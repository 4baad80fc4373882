import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { LoupeConfig } from '@loupe/config';
import { createApiApp } from '../apps/api/src/api-app.factory';
import { WorkerModule } from '../apps/worker/src/worker.module';
import {
  ApiClient,
  closeInOrder,
  contentForm,
  createTestDatabase,
  makeImage,
  OwnPostgres,
  OwnRedis,
  randomPdq,
  startOwnPostgres,
  startOwnRedis,
  startTestApp,
  TestApp,
  uploadSettled,
  waitFor,
} from '@loupe/testing';
import { MAX_RECOVERIES } from '@loupe/queue';

jest.setTimeout(600_000);

/** Bounds a request that must not hang; the test never asserts how long it took. */
const NO_HANG_MS = 15_000;
const UNFINISHED = ['received', 'processing'];

interface Stack {
  api: NestFastifyApplication;
  workers: INestApplicationContext[];
  admin: ApiClient;
  service: ApiClient;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** An api process and worker processes (as Nest applications in this process), on the given stores. */
async function startStack(databaseUrl: string, redisUrl: string, workerCount = 1): Promise<Stack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loupe-outage-'));
  const adminKey = `outage-admin-${randomBytes(12).toString('hex')}`;
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `loupe-outage-${randomBytes(4).toString('hex')}`,
    DATA_DIR: dataDir,
    LOUPE_ADMIN_KEY: adminKey,
    COMPUTE_THREADS: '1',
    JOB_CONCURRENCY: '1',
    RECOVERY_SWEEP_SECONDS: '1',
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'fatal',
  };
  const workers: INestApplicationContext[] = [];
  for (let i = 0; i < workerCount; i++) {
    workers.push(await NestFactory.createApplicationContext(WorkerModule.forRoot(LoupeConfig.fromEnv(env, 'worker')), { logger: ['fatal'] }));
  }
  const api = await createApiApp(LoupeConfig.fromEnv({ ...env, LOUPE_MODE: 'api' }));
  await api.listen(0, '127.0.0.1');
  const { port } = api.getHttpServer().address() as { port: number };
  const admin = new ApiClient(`http://127.0.0.1:${port}`, adminKey);
  const created = await admin.post('/v1/admin/api-keys', { json: { name: 'ingest', role: 'service' } });
  return {
    api,
    workers,
    admin,
    service: admin.withKey(created.body.key),
    env,
    close: () =>
      closeInOrder([
        ['the api', () => api.close()],
        ...workers.map((worker, i) => [`worker ${i + 1}`, () => worker.close()] as const),
        ['the data directory', () => rm(dataDir, { recursive: true, force: true })],
      ]),
  };
}

const statusOf = async (client: ApiClient, id: string) => (await client.get(`/v1/contents/${id}`)).body.status as string;

async function upload(stack: Stack, seeds: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const seed of seeds) {
    const response = await stack.service.post('/v1/contents', { form: contentForm(await makeImage({ seed })) });
    if (response.status !== 202) throw new Error(`upload: ${response.status} ${response.text}`);
    ids.push(response.body.id);
  }
  return ids;
}

/** Every item has left received/processing; returns their statuses. */
async function allSettled(client: ApiClient, ids: string[], what: string): Promise<string[]> {
  return waitFor(
    () => Promise.all(ids.map((id) => statusOf(client, id).catch(() => 'unreachable'))),
    (statuses) => statuses.every((s) => !UNFINISHED.includes(s) && s !== 'unreachable'),
    what,
    300_000,
  );
}

/** A request that must answer, not hang, while a store is down. */
const bounded = (client: ApiClient, method: string, route: string, init: { form?: FormData; key?: string | null } = {}) =>
  fetch(`${client.baseUrl}${route}`, {
    method,
    body: init.form,
    headers: init.key === null ? {} : { 'x-api-key': init.key ?? client.key! },
    signal: AbortSignal.timeout(NO_HANG_MS),
  });

async function countRows(databaseUrl: string, table: 'contents' | 'bank_imports'): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(`select count(*)::int as n from ${table}`)).rows[0].n;
  } finally {
    await client.end();
  }
}

async function recoveries(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('select coalesce(sum(recovery_attempts), 0)::int as n from contents')).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('Redis outage', () => {
  let redis: OwnRedis;
  let database: { url: string; drop(): Promise<void> };
  let stack: Stack;

  beforeAll(async () => {
    redis = await startOwnRedis();
    database = await createTestDatabase();
    // Two workers, so two sweepers race for every stranded item.
    stack = await startStack(database.url, redis.url, 2);
  });
  afterAll(() =>
    closeInOrder([
      ['the stack', stack?.close],
      ['its Redis', redis?.close],
      ['its database', database?.drop],
    ]),
  );

  it('answers 503 queue.unavailable at once while Redis is down, and every item finishes after Redis restarts empty', async () => {
    const ids = await upload(stack, [101, 102, 103, 104, 105, 106, 107, 108]);
    const bank = (await stack.admin.post('/v1/banks', { json: { name: 'outage-import' } })).body;
    const csv = ['signal_type,hash,quality,source,note,tags', ...[1, 2, 3].map((i) => `pdq,${randomPdq(900 + i)},90,,,`)].join('\n');
    const importForm = new FormData();
    importForm.append('file', new Blob([csv]), 'list.csv');
    const started = await stack.admin.post(`/v1/banks/${bank.id}/imports`, { form: importForm });
    expect(started.status).toBe(202);

    await redis.stop();
    // The backlog: items whose jobs died with Redis.
    const atCrash = await Promise.all(ids.map((id) => statusOf(stack.service, id)));
    expect(atCrash.filter((s) => UNFINISHED.includes(s)).length).toBeGreaterThan(0);

    const before = await countRows(database.url, 'contents');
    const refused = await bounded(stack.service, 'POST', '/v1/contents', { form: contentForm(await makeImage({ seed: 199 })) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ code: 'queue.unavailable' });
    // Rolled back: the client was told to retry, so no half-written item stays.
    expect(await countRows(database.url, 'contents')).toBe(before);

    const refusedImport = await bounded(stack.admin, 'POST', `/v1/banks/${bank.id}/imports`, { form: importForm });
    expect(refusedImport.status).toBe(503);
    expect(refusedImport.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refusedImport.json()).toMatchObject({ code: 'queue.unavailable' });
    expect(await countRows(database.url, 'bank_imports')).toBe(1);

    const health = await bounded(stack.admin, 'GET', '/health', { key: null });
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({
      status: 'degraded',
      mode: 'api',
      database: { kind: 'postgres', state: 'up' },
      queue: { kind: 'redis', state: 'down' },
      video: 'available',
      backbone: null,
    });

    await redis.start();
    const statuses = await allSettled(stack.service, ids, 'every item to finish after Redis came back empty');
    expect(statuses.filter((s) => s === 'failed')).toEqual([]);
    // One claim per stranded item, however many sweepers saw it: never more recoveries than items.
    expect(await recoveries(database.url)).toBeLessThanOrEqual(ids.length);
    const imported = await waitFor(
      async () => (await stack.admin.get(`/v1/banks/${bank.id}/imports/${started.body.id}`)).body,
      (row) => row.status === 'completed' || row.status === 'failed',
      'the import to finish',
      120_000,
    );
    expect(imported.status).toBe('completed');
    // Lines banked by a run that Redis cut short count as duplicates when it runs again.
    expect(imported.imported + imported.duplicates).toBe(3);
    expect((await stack.admin.get('/health', { key: null })).body).toMatchObject({ status: 'ok', queue: { kind: 'redis', state: 'up' } });
  });
});

describe('PostgreSQL outage longer than the job retries', () => {
  let postgres: OwnPostgres;
  let redis: OwnRedis;
  let stack: Stack;

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    redis = await startOwnRedis();
    stack = await startStack(postgres.url, redis.url);
  });
  afterAll(() =>
    closeInOrder([
      ['the stack', stack?.close],
      ['its Redis', redis?.close],
      ['its PostgreSQL', postgres?.close],
    ]),
  );

  it('leaves nothing stuck in processing once PostgreSQL is back', async () => {
    const ids = await upload(stack, [201, 202, 203, 204, 205, 206]);
    await postgres.stop();

    const health = await bounded(stack.admin, 'GET', '/health', { key: null });
    expect(health.status).toBe(503);
    const report = await health.json();
    expect(report).toEqual({ status: 'degraded', mode: 'api', database: { kind: 'postgres', state: 'down' }, queue: { kind: 'redis', state: 'up' }, video: 'available', backbone: null });

    // Past the retries: every job has run out of attempts, and none could record its failure.
    const queues = ['media', 'inference'].map((name) => new Queue(name, { connection: { host: '127.0.0.1', port: redis.port }, prefix: stack.env.QUEUE_PREFIX }));
    try {
      const pending = async () => {
        let n = 0;
        for (const queue of queues) n += await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
        return n;
      };
      await waitFor(pending, (n) => n === 0, 'the jobs to spend their retries', 120_000);
      expect(await queues[0].getJobCountByTypes('failed')).toBeGreaterThan(0);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }

    await postgres.start();
    const statuses = await allSettled(stack.service, ids, 'every item to finish after PostgreSQL came back');
    expect(statuses.filter((s) => s === 'failed')).toEqual([]);
  });
});

describe('recovery of items whose jobs ended without moving them', () => {
  let loupe: TestApp;
  let service: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp('real', { RECOVERY_SWEEP_SECONDS: '1', JOB_CONCURRENCY: '1' });
    service = await loupe.client('service');
  });
  afterAll(() => loupe?.close());

  /** Puts a settled item back as a crash or an outage leaves it: `processing`, long unchanged, its jobs completed. */
  const strand = async (id: string, recoveries: number) => {
    const client = new Client({ connectionString: (loupe.config.database as { url: string }).url });
    await client.connect();
    try {
      await client.query(`update contents set status = 'processing', recovery_attempts = $2, updated_at = now() - interval '1 hour' where id = $1`, [id, recoveries]);
    } finally {
      await client.end();
    }
  };

  it('frees the fixed job ids that finished jobs hold and runs the item again, and fails it after the bound', async () => {
    const [again, givenUp] = [await uploadSettled(service, 301), await uploadSettled(service, 302)];
    await strand(again.id, 0);
    await strand(givenUp.id, MAX_RECOVERIES);

    const rerun = await waitFor(() => statusOf(service, again.id), (s) => !UNFINISHED.includes(s), 'the stranded item to run again', 120_000);
    expect(rerun).toBe(again.status);
    const failed = await waitFor(async () => (await service.get(`/v1/contents/${givenUp.id}`)).body, (c) => c.status === 'failed', 'the bound', 120_000);
    expect(failed.failure).toEqual({ code: 'content.stranded', reason: expect.stringContaining(`${MAX_RECOVERIES} recoveries`) });
  });
});
