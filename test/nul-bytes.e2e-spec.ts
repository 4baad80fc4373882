import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { ApiClient, claim, contentForm, makeImage, notViolating, reviewEverything, startTestApp, TestApp, uploadSettled } from '@loupe/testing';

jest.setTimeout(180_000);

/** PostgreSQL cannot store U+0000 in text: every way in refuses it as bad input, not as a 500. */
describe.each(['embedded', 'real'] as const)('a NUL character in a text field (%s)', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let moderator: ApiClient;

  const count = async (table: string) => {
    const [row] = await loupe.get(DatabaseConnection).rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    return row.n;
  };
  const expectRefused = (response: { status: number; body: any }, field: string) => {
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'request.invalid', details: { fields: [{ field }] } });
  };

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    service = await loupe.client('service');
    moderator = await loupe.client('moderator');
    await reviewEverything(loupe);
  });
  afterAll(() => loupe?.close());

  it('is refused in an ingest caption (multipart field), and nothing is stored', async () => {
    const before = await count('contents');
    const response = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 1301 }), { caption: 'beach\u0000day' }) });
    expectRefused(response, 'caption');
    expect(await count('contents')).toBe(before);
  });

  it('is refused in a report reason (JSON body)', async () => {
    const { id } = await uploadSettled(service, 1302);
    const response = await service.post(`/v1/contents/${id}/reports`, { json: { policyId: 'adult_nudity', reason: 'rude\u0000' } });
    expectRefused(response, 'reason');
  });

  it('is refused in a review decision note, and the task can still be decided', async () => {
    await uploadSettled(service, 1303);
    const task = await claim(moderator);
    const refused = await moderator.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels: notViolating(), note: 'fine\u0000' } });
    expectRefused(refused, 'note');
    const decided = await moderator.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels: notViolating(), note: 'fine' } });
    expect(decided.status).toBe(201);
  });

  it('is refused in a query string and in a nested field', async () => {
    expectRefused(await loupe.admin.get('/v1/audit?entityId=a%00b'), 'entityId');
    const nested = await moderator.post('/v1/review/tasks/00000000-0000-4000-8000-000000000000/decision', {
      json: { labels: [{ policyId: 'adult\u0000nudity', violating: false }] },
    });
    expectRefused(nested, 'labels[0].policyId');
  });
});
