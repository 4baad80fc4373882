import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { ApiClient, contentForm, makeImage, startTestApp, TestApp, uploadSettled } from '@loupe/testing';

jest.setTimeout(180_000);

const key = () => ({ 'idempotency-key': randomUUID() });

describe.each(['embedded', 'real'] as const)('Idempotency-Key (%s)', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let image: Buffer;

  const count = async (table: string) => {
    const [row] = await loupe.get(DatabaseConnection).rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    return row.n;
  };

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    service = await loupe.client('service');
    image = await makeImage({ seed: 801 });
  });
  afterAll(() => loupe?.close());

  it('answers a repeated upload with the first response and stores one item', async () => {
    const headers = key();
    const before = await count('contents');
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push(await service.post('/v1/contents', { form: contentForm(image), headers }));
    expect(tries.map((t) => t.status)).toEqual([202, 202, 202]);
    expect(tries[1].text).toBe(tries[0].text);
    expect(tries[2].text).toBe(tries[0].text);
    expect(tries[0].headers.get('idempotent-replayed')).toBeNull();
    expect(tries[2].headers.get('idempotent-replayed')).toBe('true');
    expect(await count('contents')).toBe(before + 1);
  });

  it('refuses the same key with another request: 422 idempotency.mismatch', async () => {
    const headers = key();
    expect((await service.post('/v1/contents', { form: contentForm(image), headers })).status).toBe(202);
    const otherCaption = await service.post('/v1/contents', { form: contentForm(image, { caption: 'another caption' }), headers });
    expect(otherCaption.status).toBe(422);
    expect(otherCaption.body).toMatchObject({ statusCode: 422, code: 'idempotency.mismatch' });
    const otherFile = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 802 })), headers });
    expect(otherFile.body.code).toBe('idempotency.mismatch');
    // A refused or replayed upload leaves no staged file behind.
    expect(await readdir(path.join(loupe.config.storage.mediaDir, 'tmp'))).toEqual([]);
  });

  it('scopes keys to the API key that sent them', async () => {
    const headers = key();
    const other = await loupe.client('service');
    const mine = await service.post('/v1/contents', { form: contentForm(image), headers });
    const theirs = await other.post('/v1/contents', { form: contentForm(image), headers });
    expect([mine.status, theirs.status]).toEqual([202, 202]);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('lets concurrent repeats create one item: the others replay it or get 409 idempotency.in_progress', async () => {
    const headers = key();
    const before = await count('contents');
    const tries = await Promise.all(Array.from({ length: 6 }, () => service.post('/v1/contents', { form: contentForm(image), headers })));
    const accepted = tries.filter((t) => t.status === 202);
    const busy = tries.filter((t) => t.status !== 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((t) => t.body.id)).size).toBe(1);
    for (const t of busy) expect(t.body).toMatchObject({ statusCode: 409, code: 'idempotency.in_progress' });
    expect(await count('contents')).toBe(before + 1);
    const after = await service.post('/v1/contents', { form: contentForm(image), headers });
    expect(after.body.id).toBe(accepted[0].body.id);
  });

  it('answers a repeated report with the first response and stores one report', async () => {
    const { id } = await uploadSettled(service, 803);
    const headers = key();
    const before = await count('content_reports');
    const report = { policyId: 'adult_nudity', reason: 'nudity in a public video' };
    const first = await service.post(`/v1/contents/${id}/reports`, { json: report, headers });
    const second = await service.post(`/v1/contents/${id}/reports`, { json: report, headers });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(await count('content_reports')).toBe(before + 1);
    const changed = await service.post(`/v1/contents/${id}/reports`, { json: { ...report, reason: 'something else' }, headers });
    expect(changed.body.code).toBe('idempotency.mismatch');
  });

  it('frees the key of a failed request, so it can be retried', async () => {
    const headers = key();
    const missing = await service.post(`/v1/contents/${randomUUID()}/reports`, { json: { policyId: 'adult_nudity', reason: 'x' }, headers });
    expect(missing.status).toBe(404);
    const { id } = await uploadSettled(service, 804);
    const retried = await service.post(`/v1/contents/${id}/reports`, { json: { policyId: 'adult_nudity', reason: 'x' }, headers });
    expect(retried.status).toBe(201);
  });

  it('refuses a malformed key: 400 idempotency.invalid_key', async () => {
    const response = await service.post('/v1/contents', { form: contentForm(image), headers: { 'idempotency-key': 'x'.repeat(256) } });
    expect(response.body).toMatchObject({ statusCode: 400, code: 'idempotency.invalid_key' });
  });

  it('answers a repeated appeal with the first response and opens one appeal', async () => {
    const engineer = await loupe.client('ml_engineer');
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 0 } })).status).toBe(200);
    const { id, status } = await uploadSettled(service, 805);
    expect(status).toBe('removed');
    const headers = key();
    const first = await service.post(`/v1/contents/${id}/appeals`, { json: { statement: 'it is art' }, headers });
    const second = await service.post(`/v1/contents/${id}/appeals`, { json: { statement: 'it is art' }, headers });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    // Without the key, the retry is a second appeal, which is refused.
    const unkeyed = await service.post(`/v1/contents/${id}/appeals`, { json: { statement: 'it is art' } });
    expect(unkeyed.body.code).toBe('appeal.exists');
  });

  it('documents the header in OpenAPI on the three routes', async () => {
    const document = (await service.get('/docs/openapi.json', { key: null })).body;
    for (const route of ['/v1/contents', '/v1/contents/{id}/reports', '/v1/contents/{id}/appeals']) {
      const parameters = document.paths[route].post.parameters as { name: string; in: string }[];
      expect(parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    }
  });
});

describe('Idempotency-Key retention', () => {
  let loupe: TestApp;
  beforeAll(async () => {
    loupe = await startTestApp('embedded', { IDEMPOTENCY_RETENTION_SECONDS: '1' });
  });
  afterAll(() => loupe?.close());

  it('forgets a key after IDEMPOTENCY_RETENTION_SECONDS: the request runs again', async () => {
    const service = await loupe.client('service');
    const image = await makeImage({ seed: 806 });
    const headers = key();
    const first = await service.post('/v1/contents', { form: contentForm(image), headers });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const later = await service.post('/v1/contents', { form: contentForm(image), headers });
    expect([first.status, later.status]).toEqual([202, 202]);
    expect(later.body.id).not.toBe(first.body.id);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });
});
