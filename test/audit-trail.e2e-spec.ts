import { createHash } from 'node:crypto';
import { ApiClient, claim, contentForm, decide, exportLabels, makeImage, notViolating, reviewEverything, startTestApp, TestApp, uploadSettled, violating } from '@loupe/testing';

jest.setTimeout(180_000);

/** The key id behind a client: what the audit log records as the actor. */
async function keyIdOf(loupe: TestApp, name: string): Promise<string> {
  const keys = await loupe.admin.get('/v1/admin/api-keys');
  return (keys.body as { id: string; name: string }[]).find((k) => k.name === name)!.id;
}

describe.each(['embedded', 'real'] as const)('audit of ingest and label export (%s stores)', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    service = await loupe.client('service', 'ingest-service');
    analyst = await loupe.client('analyst', 'label-reader');
  });
  afterAll(() => loupe?.close());

  it('records each upload: who, the content id, its kind, size and sha256', async () => {
    const image = await makeImage({ seed: 401 });
    const response = await service.post('/v1/contents', { form: contentForm(image) });
    expect(response.status).toBe(202);

    const events = await analyst.get(`/v1/audit?action=content.ingest&entityId=${response.body.id}`);
    expect(events.status).toBe(200);
    expect(events.body).toEqual([
      expect.objectContaining({
        action: 'content.ingest',
        actorId: await keyIdOf(loupe, 'ingest-service'),
        actorRole: 'service',
        entityType: 'content',
        entityId: response.body.id,
        data: expect.objectContaining({ kind: 'image', format: 'png', bytes: image.length, sha256: createHash('sha256').update(image).digest('hex') }),
      }),
    ]);

    // A refused upload stores nothing, and so records nothing.
    const before = (await analyst.get('/v1/audit?action=content.ingest')).body.length;
    const refused = await service.post('/v1/contents', { form: contentForm(Buffer.from('not an image'), {}, 'x.bin', 'bin') });
    expect(refused.status).toBe(415);
    expect((await analyst.get('/v1/audit?action=content.ingest')).body).toHaveLength(before);
  });

  it('records each label export with its filter and the number of rows streamed', async () => {
    await reviewEverything(loupe);
    const moderator = await loupe.client('moderator');
    for (const [seed, labels] of [
      [402, violating()],
      [403, notViolating()],
    ] as const) {
      const { status } = await uploadSettled(service, seed);
      expect(status).toBe('in_review');
      const task = await claim(moderator);
      await decide(moderator, task.id, labels);
    }

    const exported = await exportLabels(analyst, 'policyId=adult_nudity&provenance=single_review&from=2020-01-01T00:00:00.000Z');
    expect(exported).toHaveLength(2);
    expect(await exportLabels(analyst, 'provenance=gold')).toHaveLength(0);

    const events = await analyst.get('/v1/audit?action=labels.export');
    expect(events.status).toBe(200);
    const readerId = await keyIdOf(loupe, 'label-reader');
    // Newest first.
    expect(events.body).toEqual([
      expect.objectContaining({ actorId: readerId, actorRole: 'analyst', entityType: 'label_export', data: { filter: { provenance: 'gold' }, rows: 0, completed: true } }),
      expect.objectContaining({
        actorId: readerId,
        actorRole: 'analyst',
        entityType: 'label_export',
        data: { filter: { from: '2020-01-01T00:00:00.000Z', policyId: 'adult_nudity', provenance: 'single_review' }, rows: 2, completed: true },
      }),
    ]);
  });
});
