import { ApiClient, contentForm, makeImage, startTestApp, StoreKind, TestApp, uploadSettled, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

/**
 * Retro-hunts: a bank gains an entry for media that was allowed days ago
 * (well, seconds ago here, inside the 7-day window); the sweep starts a hunt
 * on its own, the hunt removes the item as ingest would, and counts it as a
 * catch of that entry. Content that matches nothing is left alone.
 */
describe.each<StoreKind>(['embedded', 'real'])('retro-hunts on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores, { RETRO_HUNT_ON_BANK_CHANGE: 'true', RECOVERY_SWEEP_SECONDS: '1' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
  });
  afterAll(() => loupe?.close());

  it('re-matches allowed content when a bank gains an entry, removes what matches, and credits the entry', async () => {
    const image = await makeImage({ seed: 8801 });
    const caught = await uploadSettled(service, 8801);
    const spared = await uploadSettled(service, 8802);
    expect([caught.status, spared.status]).toEqual(['allowed', 'allowed']);

    const bank = (await loupe.admin.post('/v1/banks', { json: { name: 'retro-bank', policyId: 'adult_nudity', action: 'remove' } })).body;
    const form = new FormData();
    form.append('file', new Blob([image]), 'banked.png');
    const entry = (await loupe.admin.post(`/v1/banks/${bank.id}/entries/media`, { form })).body;
    expect(entry.id).toEqual(expect.any(String));

    const hunt = await waitFor(
      async () => (await analyst.get('/v1/analysis/retro-hunts')).body.find((h: { bankId: string }) => h.bankId === bank.id),
      (h) => h?.status === 'succeeded',
      'the bank’s retro-hunt',
    );
    expect(hunt).toMatchObject({ trigger: 'bank', windowDays: 7, found: 1 });
    expect(hunt.done).toBeGreaterThanOrEqual(2);
    const report = (await analyst.get(`/v1/analysis/retro-hunts/${hunt.id}`)).body;
    expect(report.findings).toEqual([expect.objectContaining({ contentId: caught.id, outcome: 'removed', bankEntryId: entry.id, distance: 0, policyIds: ['adult_nudity'] })]);
    expect(report.catches).toEqual([{ bankEntryId: entry.id, modelVersion: null, items: 1 }]);

    const removed = (await service.get(`/v1/contents/${caught.id}`)).body;
    expect(removed).toMatchObject({ status: 'removed', decision: { source: 'hash', reason: expect.stringContaining('retro-hunt of bank retro-bank') } });
    expect((await service.get(`/v1/contents/${spared.id}`)).body.status).toBe('allowed');

    // New content matching the entry is removed at ingest as before; the hunt was for what came earlier.
    const again = await service.post('/v1/contents', { form: contentForm(image) });
    const settled = await waitFor(async () => (await service.get(`/v1/contents/${again.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'the re-upload');
    expect(settled.status).toBe('removed');
  });

  it('starts a hunt by hand, and says clearly what it cannot hunt', async () => {
    const bank = (await loupe.admin.post('/v1/banks', { json: { name: 'retro-empty' } })).body;
    const started = await analyst.post('/v1/analysis/retro-hunts', { json: { bankId: bank.id } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ trigger: 'bank', bankId: bank.id });
    const done = await waitFor(async () => (await analyst.get(`/v1/analysis/retro-hunts/${started.body.id}`)).body, (r) => r.hunt.status === 'succeeded', 'the hand-made hunt');
    expect(done.hunt.found).toBe(0);

    expect((await analyst.post('/v1/analysis/retro-hunts', { json: {} })).body.code).toBe('retro_hunt.target');
    expect((await analyst.post('/v1/analysis/retro-hunts', { json: { bankId: bank.id, modelName: 'x' } })).body.code).toBe('retro_hunt.target');
    const noBank = await analyst.post('/v1/analysis/retro-hunts', { json: { bankId: '00000000-0000-4000-8000-000000000000' } });
    expect([noBank.status, noBank.body.code]).toEqual([404, 'bank.not_found']);
    const noModel = await analyst.post('/v1/analysis/retro-hunts', { json: { modelName: 'never-trained' } });
    expect([noModel.status, noModel.body.code]).toEqual([404, 'model.no_champion']);
    expect((await analyst.get('/v1/analysis/retro-hunts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const moderator = await loupe.client('moderator');
    expect((await moderator.get('/v1/analysis/retro-hunts')).status).toBe(403);
  });
});
