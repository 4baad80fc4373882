import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { MediaStore } from '@loupe/media';
import { brightnessModel, uploadedModel } from '@loupe/ml/testing';
import { ApiClient, contentForm, encodeRgb, makeImage, makeRgb, makeVideo, startTestApp, StoreKind, TestApp, uploadSettled, waitFor } from '@loupe/testing';

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

  it('hunts a bank again only RETRO_HUNT_BANK_INTERVAL_SECONDS after its last hunt, with every entry added meanwhile', async () => {
    const [first, second] = [await uploadSettled(service, 8811), await uploadSettled(service, 8812)];
    const bank = (await loupe.admin.post('/v1/banks', { json: { name: 'retro-interval', policyId: 'adult_nudity', action: 'remove' } })).body;
    const addEntry = async (seed: number) => {
      const form = new FormData();
      form.append('file', new Blob([await makeImage({ seed })]), `${seed}.png`);
      expect((await loupe.admin.post(`/v1/banks/${bank.id}/entries/media`, { form })).status).toBe(201);
    };
    const huntsOfBank = async () => ((await analyst.get('/v1/analysis/retro-hunts')).body as { bankId: string; status: string; found: number }[]).filter((h) => h.bankId === bank.id);

    await addEntry(8811);
    await waitFor(huntsOfBank, (hunts) => hunts.length === 1 && hunts[0].status === 'succeeded', 'the bank’s first hunt');
    await addEntry(8812);
    // Several sweeps (one a second) see the new entry, and start nothing within the interval (600 s by default).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await huntsOfBank()).toHaveLength(1);
    expect((await service.get(`/v1/contents/${second.id}`)).body.status).toBe('allowed');

    // The interval has passed (the first hunt moved 11 minutes back): the next sweep hunts for the new entry.
    await loupe.get(DatabaseConnection).rows(sql`update retro_hunts set created_at = created_at - interval '11 minutes' where bank_id = ${bank.id}::uuid`);
    const hunts = await waitFor(huntsOfBank, (all) => all.length === 2 && all.every((h) => h.status === 'succeeded'), 'the bank’s second hunt');
    expect(hunts.map((h) => h.found).sort()).toEqual([1, 1]);
    expect((await service.get(`/v1/contents/${first.id}`)).body.status).toBe('removed');
    expect((await service.get(`/v1/contents/${second.id}`)).body.status).toBe('removed');
  });
});

/** With RETRO_HUNT_MODEL_REVIEW, the review band of a model hunt goes to review, as new content would (the uploaded model's thresholds: review 0.5, remove 1). */
describe('retro-hunts after a promotion, review band included (embedded)', () => {
  let loupe: TestApp;

  beforeAll(async () => {
    loupe = await startTestApp('embedded', { RETRO_HUNT_ON_PROMOTION: 'true', RETRO_HUNT_MODEL_REVIEW: 'true', RECOVERY_SWEEP_SECONDS: '1' });
  });
  afterAll(() => loupe?.close());

  it('sends what the new champion would review to review', async () => {
    const service = await loupe.client('service');
    const engineer = await loupe.client('ml_engineer');
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.99, remove: 0.995 } })).status).toBe(200);
    const mid = await uploadFile(service, await shadedImage(935, 'mid'));
    expect(mid.status).toBe('allowed');
    const hunt = await promoteBrightnessModel(engineer);
    expect(hunt.found).toBe(1);
    const report = (await engineer.get(`/v1/analysis/retro-hunts/${hunt.id}`)).body;
    expect(report.findings).toEqual([expect.objectContaining({ contentId: mid.id, outcome: 'in_review', policyIds: ['graphic_violence'] })]);
    expect((await service.get(`/v1/contents/${mid.id}`)).body.status).toBe('in_review');
  });
});

/** A photo-like image, darkened into [0, 64), greyed into [120, 171) or lightened into [150, 255): the brightness model tells them apart. */
async function shadedImage(seed: number, shade: 'dark' | 'mid' | 'bright'): Promise<Buffer> {
  const rgb = makeRgb(seed, 320, 240);
  // A Buffer truncates what it is given, as Math.floor did (a global lookup per byte is slow under Jest).
  for (let i = 0; i < rgb.length; i++) rgb[i] = shade === 'dark' ? rgb[i] >> 2 : shade === 'mid' ? 120 + rgb[i] * 0.2 : 150 + rgb[i] * 0.4;
  return encodeRgb(rgb, 320, 240);
}

/** Uploads a file and waits for its first decision. */
async function uploadFile(service: ApiClient, file: Buffer, filename?: string): Promise<{ id: string; status: string; scores: unknown[] }> {
  const item = await service.post('/v1/contents', { form: filename ? contentForm(file, {}, filename, 'mp4') : contentForm(file) });
  return waitFor(async () => (await service.get(`/v1/contents/${item.body.id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'classification');
}

/** Uploads and promotes partner-vision version 1, a graphic-violence model on the mean of the red channel; the retro-hunt it starts, finished. */
async function promoteBrightnessModel(engineer: ApiClient): Promise<{ id: string; found: number }> {
  const form = new FormData();
  form.append('input', 'image');
  form.append('outputs', 'graphic_violence');
  form.append('file', new Blob([Buffer.from(brightnessModel({ layout: 'nchw', channel: 0, weights: [8], biases: [-4] }))]), 'model.onnx');
  expect((await engineer.post('/v1/models/partner-vision/versions', { form })).status).toBe(201);
  expect((await engineer.post('/v1/models/partner-vision/promote', { json: { version: 1 } })).status).toBe(200);
  return waitFor(
    async () => (await engineer.get('/v1/analysis/retro-hunts')).body.find((h: { trigger: string }) => h.trigger === 'model'),
    (h) => h?.status === 'succeeded',
    'the promotion’s retro-hunt',
  );
}

/**
 * A model hunt: items allowed while no model covered graphic violence are
 * re-scored when one is promoted, and what it would remove is removed,
 * credited to that model version. What it would only send to review stays
 * allowed unless RETRO_HUNT_MODEL_REVIEW is set (the next describe).
 */
describe('retro-hunts after a promotion (embedded)', () => {
  let loupe: TestApp;

  beforeAll(async () => {
    loupe = await startTestApp('embedded', { RETRO_HUNT_ON_PROMOTION: 'true', RECOVERY_SWEEP_SECONDS: '1' });
  });
  afterAll(() => loupe?.close());

  it('re-scores recent allowed content with the new champion, and credits what it catches to that version', async () => {
    const service = await loupe.client('service');
    const engineer = await loupe.client('ml_engineer');
    const upload = (file: Buffer) => uploadFile(service, file);
    // Only graphic violence is under test: the baseline's nudity scores of shaded pictures stay out of it.
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.99, remove: 0.995 } })).status).toBe(200);
    const bright = await upload(await shadedImage(931, 'bright'));
    const dark = await upload(await shadedImage(932, 'dark'));
    const mid = await upload(await shadedImage(934, 'mid'));
    // A bright item a user reported and a moderator cleared for graphic violence: their label stands over the new model's score.
    const cleared = await upload(await shadedImage(933, 'bright'));
    expect([bright.status, dark.status, mid.status, cleared.status]).toEqual(['allowed', 'allowed', 'allowed', 'allowed']);
    expect((await service.post(`/v1/contents/${cleared.id}/reports`, { json: { policyId: 'graphic_violence', reason: 'looks violent' } })).status).toBe(201);
    const moderator = await loupe.client('moderator');
    const task = (await moderator.get('/v1/review/next')).body;
    expect(task.content.id).toBe(cleared.id);
    expect((await moderator.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels: [{ policyId: 'graphic_violence', violating: false }] } })).status).toBe(201);
    expect((await service.get(`/v1/contents/${cleared.id}`)).body.status).toBe('allowed');

    // The promotion's own hunt: an uploaded model brings no remove threshold (it is 1), so it removes nothing, and the review band stays allowed.
    const first = await promoteBrightnessModel(engineer);
    expect(first.found).toBe(0);
    for (const c of [bright, mid]) expect((await service.get(`/v1/contents/${c.id}`)).body.status).toBe('allowed');

    // Bright items (about 0.86) over a remove threshold of 0.85, mid-grey ones (about 0.61) in the review band; hunted again by hand.
    expect((await engineer.put('/v1/policies/graphic_violence/thresholds', { json: { review: 0.5, remove: 0.85 } })).status).toBe(200);
    const started = await engineer.post('/v1/analysis/retro-hunts', { json: { modelName: 'partner-vision' } });
    expect(started.status).toBe(201);
    const hunt = await waitFor(async () => (await engineer.get(`/v1/analysis/retro-hunts/${started.body.id}`)).body.hunt, (h) => h.status === 'succeeded', 'the retro-hunt by hand');
    expect(hunt.found).toBe(1);
    const report = (await engineer.get(`/v1/analysis/retro-hunts/${hunt.id}`)).body;
    expect(report.findings).toEqual([expect.objectContaining({ contentId: bright.id, modelVersion: 'partner-vision@1', policyIds: ['graphic_violence'], bankEntryId: null })]);
    expect(report.findings[0].outcome).toBe('removed');
    expect(report.catches).toEqual([{ bankEntryId: null, modelVersion: 'partner-vision@1', items: 1 }]);
    const caught = (await service.get(`/v1/contents/${bright.id}`)).body;
    expect(caught.decision).toMatchObject({ source: 'model', reason: expect.stringContaining('retro-hunt of partner-vision version 1') });
    expect((await service.get(`/v1/contents/${dark.id}`)).body.status).toBe('allowed');
    // In the review band: re-scored, and left allowed (a review route would have moved it to in_review).
    const left = (await service.get(`/v1/contents/${mid.id}`)).body;
    expect(left.status).toBe('allowed');
    expect(left.scores.some((x: { policyScores: Record<string, number> }) => (x.policyScores.graphic_violence ?? 0) > 0.5 && (x.policyScores.graphic_violence ?? 0) < 0.85)).toBe(true);
    // Re-scored (its new score is stored) but not sent back to review: a person cleared it for that policy.
    const again = (await service.get(`/v1/contents/${cleared.id}`)).body;
    expect(again.status).toBe('allowed');
    expect(again.scores.some((s: { policyScores: Record<string, number> }) => (s.policyScores.graphic_violence ?? 0) > 0.9)).toBe(true);
  });
});

/**
 * A model hunt reads what ingest stored, the item's embedding and its
 * baseline model's outputs (a video's: each frame's), and runs only the
 * promoted heads: it does not read the item's model input or run the
 * backbone again. An item whose model input is gone is re-scored all the
 * same, and an item scores as ingest scores the same picture or video today.
 */
describe('a model retro-hunt from stored features (embedded)', () => {
  let loupe: TestApp;

  beforeAll(async () => {
    loupe = await startTestApp('embedded', { RETRO_HUNT_ON_PROMOTION: 'true', RECOVERY_SWEEP_SECONDS: '1' });
  });
  afterAll(() => loupe?.close());

  it('re-scores allowed items with a promoted embedding model from their stored features, as ingest scores the same picture or video', async () => {
    const service = await loupe.client('service');
    const engineer = await loupe.client('ml_engineer');
    const [lost, kept, clip, bare] = [await makeImage({ seed: 8811 }), await makeImage({ seed: 8812 }), await makeVideo({ seconds: 3, seed: 5, size: '160x120' }), await makeImage({ seed: 8813 })];
    const [gone, hunted, video, nothing] = [await uploadFile(service, lost), await uploadFile(service, kept), await uploadFile(service, clip, 'clip.mp4'), await uploadFile(service, bare)];
    expect([gone.status, hunted.status, video.status, nothing.status]).toEqual(['allowed', 'allowed', 'allowed', 'allowed']);
    // The first item's and the video's model inputs are gone (as a retention rule deletes media); their features stay.
    // The last has neither: no hunt can score it, and it must not stop the hunt scoring the others.
    const store = loupe.get(MediaStore);
    for (const id of [gone.id, video.id, nothing.id]) {
      const sha = (await service.get(`/v1/contents/${id}`)).body.media.sha256;
      await store.remove(store.derivedPath(sha, 'model-input-224.rgb'));
    }
    await loupe.get(DatabaseConnection).rows(sql`delete from content_embeddings where content_id = ${nothing.id}::uuid`);

    const form = new FormData();
    form.append('input', 'embedding');
    form.append('outputs', 'spam');
    form.append('file', new Blob([uploadedModel({ width: 576, policies: 1, seed: 21 })]), 'model.onnx');
    expect((await engineer.post('/v1/models/partner-heads/versions', { form })).status).toBe(201);
    expect((await engineer.post('/v1/models/partner-heads/promote', { json: { version: 1 } })).status).toBe(200);
    const hunt = await waitFor(
      async () => (await engineer.get('/v1/analysis/retro-hunts')).body.find((h: { trigger: string }) => h.trigger === 'model'),
      (h) => ['succeeded', 'failed'].includes(h?.status),
      'the promotion’s retro-hunt',
    );
    expect(hunt).toMatchObject({ status: 'succeeded', done: 4 });

    const headScore = async (id: string): Promise<number | undefined> =>
      (await service.get(`/v1/contents/${id}`)).body.scores.find((s: { modelId: string }) => s.modelId === 'partner-heads')?.policyScores.spam;
    expect(await headScore(gone.id)).toEqual(expect.any(Number));
    expect(await headScore(nothing.id)).toBeUndefined();
    expect((await service.get(`/v1/contents/${nothing.id}`)).body.status).toBe('allowed');
    // The same picture uploaded now goes through ingest's full pass (backbone and heads in one): the hunt's score is that one.
    const fresh = await uploadFile(service, kept);
    expect(fresh.id).not.toBe(hunted.id);
    expect(await headScore(hunted.id)).toBeCloseTo((await headScore(fresh.id))!, 5);
    // The video, without its model input, scored as its worst frame: as ingest's full pass scores the same clip now.
    const freshClip = await uploadFile(service, clip, 'clip.mp4');
    expect(await headScore(video.id)).toEqual(expect.any(Number));
    expect(await headScore(video.id)).toBeCloseTo((await headScore(freshClip.id))!, 5);

    // A model on another readout (the 1280-wide pooled one) reads each frame's stored vector of that readout. The fresh
    // upload of the same clip wrote its model input again (media is stored by content): it goes again.
    await store.remove(store.derivedPath((await service.get(`/v1/contents/${video.id}`)).body.media.sha256, 'model-input-224.rgb'));
    const pooled = new FormData();
    pooled.append('input', 'embedding');
    pooled.append('outputs', 'harassment');
    pooled.append('file', new Blob([uploadedModel({ width: 1280, policies: 1, seed: 22 })]), 'model.onnx');
    expect((await engineer.post('/v1/models/partner-pooled/versions', { form: pooled })).status).toBe(201);
    expect((await engineer.post('/v1/models/partner-pooled/promote', { json: { version: 1 } })).status).toBe(200);
    const second = await waitFor(
      async () => (await engineer.get('/v1/analysis/retro-hunts')).body.find((h: { id: string; trigger: string }) => h.trigger === 'model' && h.id !== hunt.id),
      (h) => ['succeeded', 'failed'].includes(h?.status),
      'the second promotion’s retro-hunt',
    );
    expect(second.status).toBe('succeeded');
    const pooledScore = async (id: string): Promise<number | undefined> =>
      (await service.get(`/v1/contents/${id}`)).body.scores.find((s: { modelId: string }) => s.modelId === 'partner-pooled')?.policyScores.harassment;
    const clipNow = await uploadFile(service, clip, 'clip.mp4');
    expect(await pooledScore(video.id)).toEqual(expect.any(Number));
    expect(await pooledScore(video.id)).toBeCloseTo((await pooledScore(clipNow.id))!, 5);
  });
});
