import { sql } from 'drizzle-orm';
import { ContentEmbeddingRepository, DatabaseConnection, FeatureBackfillRepository } from '@loupe/database';
import { MediaStore } from '@loupe/media';
import { JobQueue } from '@loupe/queue';
import { ApiClient, startTestApp, StoreKind, TestApp, uploadSettled, waitFor } from '@loupe/testing';
import { featuresCommand } from '../apps/cli/src/commands/features.command';

jest.setTimeout(180_000);

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The feature backfill as an engineer meets it: items classified before
 * embeddings existed (or before mid_gem did) get theirs from the stored
 * model input, with progress; one backfill at a time.
 */
describe.each<StoreKind>(['embedded', 'real'])('feature backfill on %s stores', (stores) => {
  let loupe: TestApp;
  let engineer: ApiClient;
  let analyst: ApiClient;
  let service: ApiClient;
  let db: DatabaseConnection;

  const ended = (id: string) =>
    waitFor(async () => (await analyst.get(`/v1/features/backfill/${id}`)).body, (b) => !['queued', 'running'].includes(b.status), `backfill ${id} to end`, 60_000);

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    engineer = await loupe.client('ml_engineer');
    analyst = await loupe.client('analyst');
    service = await loupe.client('service');
    db = loupe.get(DatabaseConnection);
  });
  afterAll(() => loupe?.close());

  it('embeds the items that predate embeddings or mid_gem, skips those without model input, and reports progress', async () => {
    const [none, noMidGem, untouched, gone] = await Promise.all([1, 2, 3, 4].map(async (seed) => (await uploadSettled(service, 7300 + seed)).id));
    // As if classified before embeddings (none, gone) or before the mid_gem readout (noMidGem).
    await db.rows(sql`delete from content_embeddings where content_id in (${none}::uuid, ${gone}::uuid)`);
    await db.rows(sql`update content_embeddings set mid_gem = null where content_id = ${noMidGem}::uuid`);
    const [{ media_sha256: sha }] = await db.rows<{ media_sha256: string }>(sql`select media_sha256 from contents where id = ${gone}::uuid`);
    const store = loupe.get(MediaStore);
    await store.remove(store.derivedPath(sha, 'model-input-224.rgb'));
    const embeddings = loupe.get(ContentEmbeddingRepository);
    const [kept] = await embeddings.itemVectors([untouched]);

    const started = await engineer.post('/v1/features/backfill');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', backbone: expect.stringMatching(/^nsfwjs-mobilenetv2@/), done: 0, finishedAt: null });
    const backfill = await ended(started.body.id);
    expect(backfill).toMatchObject({ status: 'succeeded', backbone: started.body.backbone, total: 3, done: 3, embedded: 2, skipped: 1, percent: 100, failedReason: null });
    expect(backfill.seconds).toEqual(expect.any(Number));
    const status = await loupe.get(JobQueue).status('learning', `features-backfill-${backfill.id}`);
    expect(status).toMatchObject({ state: 'completed', progress: 100 });

    const rows = await embeddings.itemVectors([none, noMidGem, untouched, gone]);
    const byContent = new Map(rows.map((r) => [r.contentId, r]));
    for (const id of [none, noMidGem]) {
      expect(byContent.get(id)).toMatchObject({ backbone: backfill.backbone, frameIndex: null });
      expect(byContent.get(id)!.midGem).toHaveLength(576);
    }
    // An item that had its embedding keeps its row; one with no model input left has none.
    expect(byContent.get(untouched)).toMatchObject({ id: kept.id, createdAt: kept.createdAt });
    expect(byContent.has(gone)).toBe(false);

    const list = await analyst.get('/v1/features/backfill');
    expect([list.status, list.body[0].id]).toEqual([200, backfill.id]);
  });

  it('runs one at a time: 409 with the active one, which is queued again once it is stranded', async () => {
    // A backfill queued by a process that went away before its job reached the queue.
    const held = (await loupe.get(FeatureBackfillRepository).createIfIdle({ backbone: (await analyst.get('/v1/features/backfill')).body[0].backbone, requestedBy: null }))!;
    const refused = await engineer.post('/v1/features/backfill');
    expect([refused.status, refused.body.code, refused.body.details.backfill.id]).toEqual([409, 'features.backfill_running', held.id]);
    expect((await analyst.get(`/v1/features/backfill/${held.id}`)).body.status).toBe('queued');

    await db.rows(sql`update feature_backfills set updated_at = now() - interval '10 minutes' where id = ${held.id}::uuid`);
    const again = await loupe.admin.post('/v1/features/backfill');
    expect([again.status, again.body.code, again.body.details.backfill.id]).toEqual([409, 'features.backfill_running', held.id]);
    // Resumed by the queue: only the item whose model input is gone needs features now, and is skipped again.
    expect(await ended(held.id)).toMatchObject({ status: 'succeeded', total: 1, done: 1, embedded: 0, skipped: 1 });
  });

  it('refuses a malformed id and answers 404 for an unknown one, with codes', async () => {
    const malformed = await analyst.get('/v1/features/backfill/not-an-id');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'request.invalid_id']);
    const unknown = await analyst.get(`/v1/features/backfill/${SOME_ID}`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'features.backfill_not_found']);
    expect((await analyst.post('/v1/features/backfill')).status).toBe(403);
  });
});

describe('loupe features backfill', () => {
  let loupe: TestApp;
  const saved = { ...process.env };

  beforeAll(async () => {
    loupe = await startTestApp('real');
  });
  afterAll(async () => {
    process.env = saved;
    await loupe?.close();
  });

  it('embeds the items that need it in its own process, and prints what it did', async () => {
    const service = await loupe.client('service');
    const { id } = await uploadSettled(service, 7311);
    await loupe.get(DatabaseConnection).rows(sql`delete from content_embeddings where content_id = ${id}::uuid`);
    const { database } = loupe.config;
    if (database.kind !== 'postgres') throw new Error('a PostgreSQL test database was expected');
    // The command reads the environment as the server does: the same database and data directory.
    process.env = { ...saved, DATA_DIR: loupe.dataDir, DATABASE_URL: database.url, COMPUTE_THREADS: '1', LOG_LEVEL: 'error' };
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    try {
      await featuresCommand().parseAsync(['backfill'], { from: 'user' });
    } finally {
      log.mockRestore();
    }
    expect(printed.join('\n')).toMatch(/^backfill [0-9a-f-]{36}: succeeded in [\d.]+ s\n1 of 1 items embedded with nsfwjs-mobilenetv2@\S+, 0 skipped/);
    expect(process.exitCode ?? 0).toBe(0);
    const [row] = await loupe.get(ContentEmbeddingRepository).itemVectors([id]);
    expect(row.midGem).toHaveLength(576);
    const list = await (await loupe.client('analyst')).get('/v1/features/backfill');
    expect(list.body[0]).toMatchObject({ status: 'succeeded', embedded: 1, requestedBy: null });
  });
});
