import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  makeVideo,
  randomPdq,
  ROOT,
  RunningProcess,
  startProductionStack,
  startNode,
  startProcess,
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
      // What `npm start` runs after its build. The build itself is npm test's first step; running it
      // again here would empty dist/ under the processes that other test files start from it.
      const server = startNode(API_ENTRY, { DATA_DIR: dataDir, PORT: String(port) });
      running.push(server);
      const status = await Promise.race([
        waitFor(healthy(port), (s) => s === 200, 'npm start to answer /health', 240_000),
        server.exited.then((code) => Promise.reject(new Error(`npm start exited with ${code}:\n${server.output()}`))),
      ]);
      expect(status).toBe(200);
      const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
      expect(health).toEqual({
        status: 'ok',
        mode: 'all',
        database: { kind: 'pglite', state: 'up' },
        queue: { kind: 'in-process', state: 'up' },
        video: 'available',
        backbone: { runtime: 'onnxruntime', requested: 'onnxruntime', fallback: false, reason: null },
      });
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
    const stack = await startProductionStack({ apis: 2 });
    const { env } = stack;
    try {
      const health = await (await fetch(`${stack.apis[0].baseUrl}/health`)).json();
      // An api process classifies nothing: no backbone to report.
      expect(health).toEqual({ status: 'ok', mode: 'api', database: { kind: 'postgres', state: 'up' }, queue: { kind: 'redis', state: 'up' }, video: 'available', backbone: null });

      const [one, two] = stack.apis;
      const key = async (role: string) => (await one.post('/v1/admin/api-keys', { json: { name: role, role } })).body.key as string;
      const service = one.withKey(await key('service'));
      const moderator = two.withKey(await key('moderator'));
      const engineer = two.withKey(await key('ml_engineer'));

      const uploaded = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 21 })) });
      expect(uploaded.status).toBe(202);
      const allowed = await waitFor(async () => (await two.get(`/v1/contents/${uploaded.body.id}`)).body, (c) => c.status === 'allowed', 'the worker to classify', 120_000);
      expect(allowed.scores[0].backend).toBe('onnxruntime');

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

      // Bank changes made through one api process take effect in the other at once.
      const bank = (await one.post('/v1/banks', { json: { name: 'cross-process' } })).body;
      const hash = randomPdq(5);
      const entry = (await one.post(`/v1/banks/${bank.id}/entries`, { json: { signalType: 'pdq', hash } })).body;
      const lookup = () => two.post('/v1/hashes/lookup', { json: { signalType: 'pdq', hash } });
      expect((await lookup()).body.matches).toHaveLength(1);
      await one.post(`/v1/banks/${bank.id}/entries/${entry.id}/disable`, { json: { reason: 'test' } });
      expect((await lookup()).body.matches).toHaveLength(0);

      const args = ['keys', 'create', '--role', 'moderator', '--name', 'from-the-cli'];
      const created = startProcess(process.execPath, [path.join(ROOT, CLI_ENTRY), ...args], env);
      running.push(created);
      expect(await created.exited).toBe(0);
      const cliKey = created.output().trim().split('\n').at(-1)!;
      expect(cliKey).toMatch(/^lp_/);
      expect((await moderator.withKey(cliKey).get('/v1/review/next')).status).toBe(204);

      // The moderator's decision, exported as a training label from the command line.
      const exported = startProcess(process.execPath, [path.join(ROOT, CLI_ENTRY), 'labels', 'export', '--provenance', 'single_review'], env);
      running.push(exported);
      expect(await exported.exited).toBe(0);
      const lines = exported.output().trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(lines).toEqual([expect.objectContaining({ content_id: borderline.body.id, provenance: 'single_review', outcome: 'removed' })]);

      // The same label as a dataset, made from the command line and read through the API.
      const made = startProcess(process.execPath, [path.join(ROOT, CLI_ENTRY), 'datasets', 'create', '--name', 'from-the-cli', '--policy', 'adult_nudity', '--test-share', '0', '--json'], env);
      running.push(made);
      expect(await made.exited).toBe(0);
      const dataset = JSON.parse(made.output().slice(made.output().indexOf('{')));
      expect(dataset).toMatchObject({ name: 'from-the-cli', rowCount: 1, counts: { rows: { train: 1, test: 0, gold: 0 } } });
      const read = await two.withKey(await key('analyst')).get(`/v1/datasets/${dataset.id}`);
      expect(read.body).toMatchObject({ id: dataset.id, rowsHash: dataset.rowsHash, rowCount: 1 });
    } catch (error) {
      for (const p of [...stack.processes, ...running]) console.log(p.output().slice(-4000));
      throw error;
    } finally {
      await Promise.all(running.splice(0).map((p) => p.stop()));
      await stack.stop();
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

describe('the loupe command', () => {
  const loupe = (args: string[], env: Record<string, string>) => {
    const run = startProcess(process.execPath, [path.join(ROOT, CLI_ENTRY), ...args], env);
    running.push(run);
    return run.exited.then((code) => ({ code, output: run.output() }));
  };

  it('hashes images and videos, one JSON line per file, and reports a bad file without stopping', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'loupe-cli-'));
    try {
      const image = path.join(dir, 'photo.png');
      const video = path.join(dir, 'clip.mp4');
      const bad = path.join(dir, 'notes.txt');
      await writeFile(image, await makeImage({ seed: 51 }));
      await writeFile(video, await makeVideo({ seconds: 2, seed: 9, size: '96x64' }));
      await writeFile(bad, 'not media');
      const { code, output } = await loupe(['hash', '--dihedral', image, video, bad], { DATA_DIR: dir, COMPUTE_THREADS: '1' });
      expect(code).toBe(1);
      const [imageLine, videoLine, badLine] = output.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(imageLine).toEqual({ file: image, kind: 'image', pdq: expect.stringMatching(/^[0-9a-f]{64}$/), quality: expect.any(Number), dihedral: expect.any(Array) });
      expect(imageLine.dihedral[0]).toBe(imageLine.pdq);
      expect(videoLine.kind).toBe('video');
      expect(videoLine.frames.map((f: { index: number; timestamp: number }) => [f.index, f.timestamp])).toEqual([[0, 0], [25, 1]]);
      expect(badLine).toEqual({ file: bad, error: { code: 'media.unsupported_type', message: expect.any(String) } });
      const every = await loupe(['hash', '--fps', '0', video], { DATA_DIR: dir, COMPUTE_THREADS: '1' });
      expect(JSON.parse(every.output.trim().split('\n').at(-1)!).frames).toHaveLength(50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('creates a bank, imports a file with a bad line, and exports what it imported', async () => {
    const database = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'loupe-cli-'));
    const env = { DATABASE_URL: database.url, DATA_DIR: dir, LOUPE_ADMIN_KEY: `cli-admin-${randomBytes(12).toString('hex')}` };
    try {
      expect((await loupe(['banks', 'create', 'partner-list', '--policy', 'hate_symbols'], env)).code).toBe(0);
      const hashes = [randomPdq(71), randomPdq(72)];
      const file = path.join(dir, 'list.csv');
      await writeFile(file, `signal_type,hash,quality,source,note,tags\npdq,${hashes[0]},90,partner,,\npdq,zzzz,90,,,\npdq,${hashes[1]},80,partner,,a;b\n`);
      const imported = await loupe(['banks', 'import', 'partner-list', file], env);
      expect(imported.code).toBe(1);
      expect(imported.output).toContain('imported 2, duplicates 0, bad lines 1 (of 4 lines)');
      expect(imported.output).toContain('line 3: hash must be 64 hex characters');
      const out = path.join(dir, 'out.jsonl');
      expect((await loupe(['banks', 'export', 'partner-list', '--format', 'jsonl', '-o', out], env)).code).toBe(0);
      const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual([
        { signal_type: 'pdq', hash: hashes[0], quality: 90, source: 'partner', note: '', tags: [] },
        { signal_type: 'pdq', hash: hashes[1], quality: 80, source: 'partner', note: '', tags: ['a', 'b'] },
      ]);
      expect((await loupe(['banks', 'list'], env)).output).toMatch(/block\s+remove\s+2\/2\s+hate_symbols\s+partner-list/);
    } finally {
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
