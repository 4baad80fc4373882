import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiClient, contentForm, makeImage, startTestApp, StoreKind, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(180_000);

const settled = (status: string) => !['received', 'processing'].includes(status);

describe.each<StoreKind>(['embedded', 'real'])('the image loop on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let moderator: ApiClient;
  let engineer: ApiClient;

  const upload = async (file: Buffer, fields = {}) => {
    const response = await service.post('/v1/contents', { form: contentForm(file, fields) });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: expect.any(String), status: 'received' });
    return response.body.id as string;
  };
  const content = async (id: string) => (await service.get(`/v1/contents/${id}`)).body;
  const settle = (id: string) => waitFor(() => content(id), (c) => settled(c.status), `content ${id} to settle`);

  beforeAll(async () => {
    loupe = await startTestApp(stores);
    service = await loupe.client('service');
    moderator = await loupe.client('moderator');
    engineer = await loupe.client('ml_engineer');
  });
  afterAll(() => loupe?.close());

  it('answers /health with the stores it runs on', async () => {
    const health = await service.get('/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      status: 'ok',
      mode: 'all',
      database: { kind: stores === 'real' ? 'postgres' : 'pglite', state: 'up' },
      queue: { kind: stores === 'real' ? 'redis' : 'in-process', state: 'up' },
      video: 'available',
      // Nothing classified yet: what is asked for, no fallback.
      backbone: { runtime: 'onnxruntime', requested: 'onnxruntime', fallback: false, reason: null },
    });
  });

  it('hashes, classifies and allows an ordinary image, recording model, version and backend', async () => {
    const id = await upload(await makeImage({ seed: 1, format: 'jpeg' }), { hashtags: '#Summer, beach' });
    const item = await settle(id);
    expect(item.status).toBe('allowed');
    expect(item.hashtags).toEqual(['summer', 'beach']);
    expect(item.hash).toEqual({ signalType: 'pdq', hash: expect.stringMatching(/^[0-9a-f]{64}$/), quality: expect.any(Number) });
    expect(item.hash.quality).toBeGreaterThanOrEqual(50);
    expect(item.scores).toHaveLength(1);
    expect(item.scores[0]).toMatchObject({ modelId: 'nsfwjs-mobilenetv2', modelVersion: '4.3.0', backend: 'onnxruntime' });
    expect(Object.keys(item.scores[0].outputs).sort()).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
    const { Porn, Hentai, Sexy } = item.scores[0].outputs;
    expect(item.scores[0].policyScores.adult_nudity).toBeCloseTo(Porn + Hentai + Sexy, 6);
    expect(item.decision).toMatchObject({ outcome: 'allowed', source: 'model', modelVersion: 'nsfwjs-mobilenetv2@4.3.0' });
  });

  it('runs the README walk-through: ordinary allowed, borderline to review, removed, re-upload removed by hash', async () => {
    const fixture = (name: string) => readFile(path.join(__dirname, 'fixtures', name));
    const ordinary = await settle(await upload(await fixture('ordinary.jpg')));
    expect(ordinary.status).toBe('allowed');
    const borderline = await settle(await upload(await fixture('borderline-adult-nudity.png')));
    expect(borderline.status).toBe('in_review');
    expect(borderline.scores[0].policyScores.adult_nudity).toBeGreaterThanOrEqual(0.6);
    expect(borderline.scores[0].policyScores.adult_nudity).toBeLessThan(0.95);
    expect(borderline.decision.reason).toMatch(/^adult_nudity scored 0\.\d{3} >= review threshold 0\.600$/);
    expect(borderline.hash.quality).toBeGreaterThanOrEqual(50);
    const task = await moderator.get('/v1/review/next');
    expect(task.body.content.id).toBe(borderline.id);
    await moderator.post(`/v1/review/tasks/${task.body.id}/decision`, { json: { labels: [{ policyId: 'adult_nudity', violating: true }] } });
    expect((await content(borderline.id)).status).toBe('removed');
    const again = await settle(await upload(await fixture('borderline-adult-nudity.png')));
    expect(again.decision).toMatchObject({ outcome: 'removed', source: 'hash', matchDistance: 0 });
  });

  it('sends a borderline item to review, takes the moderator\'s labels, and removes a re-upload at ingest', async () => {
    // Thresholds apply to content processed after a change: with review at 0
    // every scored image is borderline, and removal by the model needs a score of 1.
    const changed = await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } });
    expect(changed.status).toBe(200);
    expect(changed.body.thresholds).toEqual({ review: 0, remove: 1 });

    const image = await makeImage({ seed: 2, width: 400, height: 300 });
    const id = await upload(image);
    const item = await settle(id);
    expect(item.status).toBe('in_review');
    expect(item.decision).toMatchObject({ outcome: 'in_review', source: 'model', policyIds: ['adult_nudity'] });

    const claimed = await moderator.get('/v1/review/next');
    expect(claimed.status).toBe(200);
    expect(claimed.body.content.id).toBe(id);
    expect(claimed.body.scores[0].policyScores).toHaveProperty('adult_nudity');
    expect(new Date(claimed.body.leaseExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await moderator.get('/v1/review/next')).status).toBe(204);

    const labels = [
      { policyId: 'adult_nudity', violating: true },
      { policyId: 'eating_disorder_promotion', violating: false, nuance: 'recovery' },
    ];
    const decided = await moderator.post(`/v1/review/tasks/${claimed.body.id}/decision`, { json: { labels, note: 'explicit' } });
    expect(decided.status).toBe(201);
    expect(decided.body).toMatchObject({ outcome: 'removed', contentId: id, labels });
    const again = await moderator.post(`/v1/review/tasks/${claimed.body.id}/decision`, { json: { labels } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(decided.body.id);

    const removed = await content(id);
    expect(removed.status).toBe('removed');
    expect(removed.decision).toMatchObject({ outcome: 'removed', source: 'human', policyIds: ['adult_nudity'] });
    expect(removed.labels).toHaveLength(1);
    expect(removed.labels[0]).toMatchObject({ labels, outcome: 'removed', provenance: 'single_review' });
    expect(removed.labels[0].labellerId).toEqual(expect.any(String));

    await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.6, remove: 0.95 } });
    const reupload = await settle(await upload(image, { creatorId: 'someone-else' }));
    expect(reupload.status).toBe('removed');
    expect(reupload.decision).toMatchObject({ outcome: 'removed', source: 'hash', matchDistance: 0, policyIds: ['adult_nudity'] });
    expect(reupload.decision.reason).toContain('bank removed-adult_nudity');
  });

  it('lists the policy catalog, with the eating-disorder nuances', async () => {
    const policies = await moderator.get('/v1/policies');
    expect(policies.status).toBe(200);
    const ids = policies.body.map((p: { id: string }) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining(['adult_nudity', 'graphic_violence', 'hate_symbols', 'self_harm', 'eating_disorder_promotion', 'dangerous_acts', 'minor_safety', 'harassment', 'spam']),
    );
    const ed = policies.body.find((p: { id: string }) => p.id === 'eating_disorder_promotion');
    expect(ed.nuances).toEqual([
      { id: 'promotion', title: expect.any(String), violating: true },
      { id: 'recovery', title: expect.any(String), violating: false },
    ]);
    const nudity = policies.body.find((p: { id: string }) => p.id === 'adult_nudity');
    expect(nudity.models).toEqual([{ model: 'nsfwjs-mobilenetv2', outputs: ['Porn', 'Hentai', 'Sexy'] }]);
  });
});
