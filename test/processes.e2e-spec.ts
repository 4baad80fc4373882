import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  API_ENTRY,
  ApiClient,
  CLI_ENTRY,
  contentForm,
  createTestDatabase,
  freePort,
  makeImage,
  ROOT,
  RunningProcess,
  startNode,
  startProcess,
  TEST_REDIS_URL,
  waitFor,
  WORKER_ENTRY,
} from '@loupe/testing';

jest.setTimeout(300_000);

const healthy = (port: number) => async () => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).status;
  } catch {
    return 0;
  }
};

const running: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

describe('npm start (embedded defaults)', () => {
  it('boots from a clean data directory, answers /health and writes an admin key', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'loupe-start-'));
    try {
      const port = await freePort();
      const server = startProcess('npm', ['start'], { DATA_DIR: dataDir, PORT: String(port) });
      running.push(server);
      const status = await Promise.race([
        waitFor(healthy(port), (s) => s === 200, 'npm start to answer /health', 240_000),
        server.exited.then((code) => Promise.reject(new Error(`npm start exited with ${code}:\n${server.output()}`))),
      ]);
      expect(status).toBe(200);
      const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
      expect(health).toEqual({ status: 'ok', mode: 'all', database: 'pglite', queue: 'in-process' });
      const adminKey = (await readFile(path.join(dataDir, 'admin.key'), 'utf8')).trim();
      const keys = await new ApiClient(`http://127.0.0.1:${port}`, adminKey).get('/v1/admin/api-keys');
      expect(keys.status).toBe(200);
      expect(existsSync(path.join(dataDir, 'db'))).toBe(true);
    } finally {
      await Promise.all(running.splice(0).map((p) => p.stop()));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('production processes: two api processes and a worker on PostgreSQL and Redis', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, API_ENTRY))) throw new Error('Build first: npm run build (npm test does it)');
  });

  it('runs the loop across processes', async () => {
    const database = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'loupe-prod-'));
    const adminKey = `prod-admin-${randomBytes(12).toString('hex')}`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `loupe-proc-${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      LOUPE_ADMIN_KEY: adminKey,
      COMPUTE_THREADS: '1',
      LOG_LEVEL: 'warn',
    };
    try {
      const ports = [await freePort(), await freePort()];
      for (const port of ports) running.push(startNode(API_ENTRY, { ...env, LOUPE_MODE: 'api', PORT: String(port) }));
      running.push(startNode(WORKER_ENTRY, env));
      for (const port of ports) await waitFor(healthy(port), (s) => s === 200, `api on ${port}`, 120_000);
      const health = await (await fetch(`http://127.0.0.1:${ports[0]}/health`)).json();
      expect(health).toEqual({ status: 'ok', mode: 'api', database: 'postgres', queue: 'redis' });

      const [one, two] = ports.map((port) => new ApiClient(`http://127.0.0.1:${port}`, adminKey));
      const key = async (role: string) => (await one.post('/v1/admin/api-keys', { json: { name: role, role } })).body.key as string;
      const service = one.withKey(await key('service'));
      const moderator = two.withKey(await key('moderator'));
      const engineer = two.withKey(await key('ml_engineer'));

      const uploaded = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 21 })) });
      expect(uploaded.status).toBe(202);
      const allowed = await waitFor(async () => (await two.get(`/v1/contents/${uploaded.body.id}`)).body, (c) => c.status === 'allowed', 'the worker to classify', 120_000);
      expect(allowed.scores[0].backend).toMatch(/^(wasm|tensorflow)$/);

      // A threshold changed through one api process applies to what the worker processes next.
      expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } })).status).toBe(200);
      const image = await makeImage({ seed: 22 });
      const borderline = await service.post('/v1/contents', { form: contentForm(image) });
      await waitFor(async () => (await one.get(`/v1/contents/${borderline.body.id}`)).body.status, (s) => s === 'in_review', 'review', 120_000);
      const task = await moderator.get('/v1/review/next');
      expect(task.body.content.id).toBe(borderline.body.id);
      const decided = await moderator.post(`/v1/review/tasks/${task.body.id}/decision`, { json: { labels: [{ policyId: 'adult_nudity', violating: true }] } });
      expect(decided.status).toBe(201);

      const again = await service.post('/v1/contents', { form: contentForm(image) });
      const removed = await waitFor(async () => (await two.get(`/v1/contents/${again.body.id}`)).body, (c) => c.status === 'removed', 'removal at ingest', 120_000);
      expect(removed.decision).toMatchObject({ source: 'hash', matchDistance: 0 });

      const args = ['keys', 'create', '--role', 'moderator', '--name', 'from-the-cli'];
      const created = startProcess(process.execPath, [path.join(ROOT, CLI_ENTRY), ...args], env);
      running.push(created);
      expect(await created.exited).toBe(0);
      const cliKey = created.output().trim().split('\n').at(-1)!;
      expect(cliKey).toMatch(/^lp_/);
      expect((await moderator.withKey(cliKey).get('/v1/review/next')).status).toBe(204);
    } finally {
      await Promise.all(running.splice(0).map((p) => p.stop()));
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a bad environment, naming the variable', async () => {
    const bad = startNode(API_ENTRY, { PORT: 'abc' });
    running.push(bad);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('PORT');
    const noRedis = startNode(API_ENTRY, { LOUPE_MODE: 'api', DATABASE_URL: 'pglite://memory' });
    running.push(noRedis);
    expect(await noRedis.exited).toBe(1);
    expect(noRedis.output()).toContain('REDIS_URL');
    const worker = startNode(WORKER_ENTRY, { DATABASE_URL: 'pglite://memory' });
    running.push(worker);
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('REDIS_URL');
  });
});
