import path from 'node:path';
import { Client } from 'pg';
import { ApiClient, claim, contentForm, filesUnder, makeImage, notViolating, OwnPostgres, reviewEverything, startOwnPostgres, startTestApp, TestApp, uploadSettled } from '@loupe/testing';

jest.setTimeout(180_000);


/** PostgreSQL stops under a running Loupe and comes back; Loupe is never restarted. */
describe('PostgreSQL outage', () => {
  let pg: OwnPostgres;
  let loupe: TestApp;
  let service: ApiClient;
  let moderator: ApiClient;

  const count = async (table: string) => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      return (await client.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0].n;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    pg = await startOwnPostgres();
    loupe = await startTestApp('real', { DATABASE_URL: pg.url, DATABASE_CONNECT_TIMEOUT_MS: '2000' });
    service = await loupe.client('service');
    moderator = await loupe.client('moderator');
    await reviewEverything(loupe);
  });
  afterAll(async () => {
    await pg?.start().catch(() => undefined);
    await loupe?.close();
    await pg?.close();
  });

  it('answers 503 database.unavailable with Retry-After while it is down, and serves again once it is back', async () => {
    const settled = [await uploadSettled(service, 701), await uploadSettled(service, 702)];
    expect(settled.map((c) => c.status)).toEqual(['in_review', 'in_review']);
    const task = await claim(moderator);
    expect(task).not.toBeNull();
    const before = { contents: await count('contents'), decisions: await count('review_decisions') };
    const originals = await filesUnder(path.join(loupe.config.storage.mediaDir, 'originals'));

    await pg.stop();
    const image = await makeImage({ seed: 703 });
    const down = [
      await service.post('/v1/contents', { form: contentForm(image) }),
      await moderator.get('/v1/review/next'),
      await moderator.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels: notViolating() } }),
    ];
    for (const response of down) {
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503, code: 'database.unavailable', correlationId: expect.any(String) });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    await pg.start();
    // Nothing was half-written while it was down.
    expect(await count('contents')).toBe(before.contents);
    expect(await count('review_decisions')).toBe(before.decisions);
    expect(await filesUnder(path.join(loupe.config.storage.mediaDir, 'originals'))).toEqual(originals);
    expect(await filesUnder(path.join(loupe.config.storage.mediaDir, 'tmp'))).toEqual([]);

    // The same process serves again: its pool reconnects on its own.
    const uploaded = await service.post('/v1/contents', { form: contentForm(image) });
    expect(uploaded.status).toBe(202);
    const decided = await moderator.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels: notViolating() } });
    expect(decided.status).toBe(201);
    const next = await moderator.get('/v1/review/next');
    expect(next.status).toBe(200);
    expect(await count('contents')).toBe(before.contents + 1);
    expect(await count('review_decisions')).toBe(before.decisions + 1);
  });
});
