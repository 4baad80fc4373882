import { ApiClient, contentForm, makeImage, makeVideo, reencodedCopy, rotatedCopy, startTestApp, StoreKind, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

const settledStatus = (s: string) => !['received', 'processing'].includes(s);

describe.each<StoreKind>(['embedded', 'real'])('bank matching at ingest on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let moderator: ApiClient;
  let engineer: ApiClient;

  const upload = async (file: Buffer, name = 'upload.png', type: Parameters<typeof contentForm>[3] = 'png') => {
    const response = await service.post('/v1/contents', { form: contentForm(file, { creatorId: `creator-${Math.random()}` }, name, type) });
    expect(response.status).toBe(202);
    return response.body.id as string;
  };
  const settle = (id: string) =>
    waitFor(async () => (await service.get(`/v1/contents/${id}`)).body, (c) => settledStatus(c.status), `content ${id}`, 180_000);
  const removeByModerator = async (id: string, policyId = 'adult_nudity') => {
    const task = await moderator.get('/v1/review/next');
    expect(task.body.content.id).toBe(id);
    const decided = await moderator.post(`/v1/review/tasks/${task.body.id}/decision`, { json: { labels: [{ policyId, violating: true }] } });
    expect(decided.status).toBe(201);
  };

  beforeAll(async () => {
    loupe = await startTestApp(stores, { INDEX_POLL_MS: '200' });
    service = await loupe.client('service');
    moderator = await loupe.client('moderator');
    engineer = await loupe.client('ml_engineer');
    // Every scored item is borderline, so each upload below reaches a moderator unless a bank acts first.
    await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } });
  });
  afterAll(() => loupe?.close());

  it('removes at ingest a re-encoded, resized and watermarked copy, and a rotated copy, of a removed image', async () => {
    const original = await makeImage({ seed: 31, width: 640, height: 480 });
    const first = await upload(original);
    expect((await settle(first)).status).toBe('in_review');
    await removeByModerator(first);

    const bank = (await loupe.admin.get('/v1/banks')).body.find((b: { name: string }) => b.name === 'removed-adult_nudity');
    expect(bank).toMatchObject({ kind: 'block', action: 'remove', policyId: 'adult_nudity', entryCount: 1 });

    const copy = await settle(await upload(await reencodedCopy(original), 'copy.jpg', 'jpeg'));
    expect(copy.status).toBe('removed');
    expect(copy.decision).toMatchObject({ source: 'hash', policyIds: ['adult_nudity'] });
    expect(copy.decision.matchDistance).toBeGreaterThan(0);
    expect(copy.decision.matchDistance).toBeLessThanOrEqual(31);
    expect(copy.matches).toEqual([expect.objectContaining({ bankName: 'removed-adult_nudity', disposition: 'actioned' })]);

    const rotated = await settle(await upload(await rotatedCopy(original, 90)));
    expect(rotated.status).toBe('removed');
    expect(rotated.decision.source).toBe('hash');

    const unrelated = await settle(await upload(await makeImage({ seed: 32, width: 640, height: 480 })));
    expect(unrelated.status).toBe('in_review');
    expect(unrelated.matches).toEqual([]);
    await moderator.post(`/v1/review/tasks/${(await moderator.get('/v1/review/next')).body.id}/decision`, {
      json: { labels: [{ policyId: 'adult_nudity', violating: false }] },
    });
  });

  it('hashes a video with vPDQ, and removes a re-upload of a removed video at ingest', async () => {
    const video = await makeVideo({ seconds: 6, seed: 2 });
    const first = await upload(video, 'clip.mp4', 'mp4');
    const item = await settle(first);
    expect(item).toMatchObject({ kind: 'video', status: 'in_review', media: { format: 'mp4', width: 320, height: 240 } });
    expect(item.frames.length).toBe(6);
    expect(item.frames[1]).toMatchObject({ frameNumber: 25, timestamp: 1, pdq: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(item.scores[0].policyScores).toHaveProperty('adult_nudity');
    await removeByModerator(first);

    const again = await settle(await upload(video, 'again.mp4', 'mp4'));
    expect(again.status).toBe('removed');
    expect(again.decision).toMatchObject({ source: 'hash', policyIds: ['adult_nudity'] });
    expect(again.decision.reason).toMatch(/vPDQ match .*100\.0% of the video's frames/);

    const other = await settle(await upload(await makeVideo({ seconds: 4, seed: 7 }), 'other.mp4', 'mp4'));
    expect(other.status).toBe('in_review');
    await moderator.post(`/v1/review/tasks/${(await moderator.get('/v1/review/next')).body.id}/decision`, {
      json: { labels: [{ policyId: 'adult_nudity', violating: false }] },
    });
  });

  it('quarantines an entry that moderators keep refuting, and stops matching it', async () => {
    const bank = (await loupe.admin.post('/v1/banks', { json: { name: 'shared-list', policyId: 'hate_symbols', action: 'review', quarantineMinFeedback: 2 } })).body;
    const image = await makeImage({ seed: 41 });
    const entryForm = new FormData();
    entryForm.append('file', new Blob([image]), 'entry.png');
    const entry = (await loupe.admin.post(`/v1/banks/${bank.id}/entries/media`, { form: entryForm })).body;
    expect(entry).toMatchObject({ signalType: 'pdq', source: 'manual' });
    await waitFor(async () => (await service.post('/v1/hashes/lookup', { form: (() => { const f = new FormData(); f.append('file', new Blob([image]), 'q.png'); return f; })() })).body.matches.length, (n) => n === 1, 'entry in index');

    for (let i = 0; i < 2; i++) {
      const id = await upload(image);
      const item = await settle(id);
      expect(item.status).toBe('in_review');
      expect(item.decision).toMatchObject({ source: 'hash', policyIds: ['hate_symbols'] });
      const task = await moderator.get('/v1/review/next');
      expect(task.body).toMatchObject({ source: 'hash', machineReason: expect.stringContaining('shared-list') });
      await moderator.post(`/v1/review/tasks/${task.body.id}/decision`, { json: { labels: [{ policyId: 'hate_symbols', violating: false }] } });
      expect((await service.get(`/v1/contents/${id}`)).body.matches[0].feedback).toBe('refuted');
    }
    const detail = (await loupe.admin.get(`/v1/banks/${bank.id}/entries/${entry.id}`)).body;
    expect(detail).toMatchObject({ quarantined: true, feedback: { confirmed: 0, refuted: 2 } });
    expect(detail.history.map((h: { action: string }) => h.action)).toContain('bank_entry.quarantine');

    const after = await settle(await upload(image));
    expect(after.decision.source).toBe('model');
    expect(after.matches).toEqual([]);
  });
});
