import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiClient, claim, contentForm, ROOT, startTestApp, StoreKind, TestApp, uploadSettled, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

const HOUR = 3600_000;

/**
 * View counts in bulk, and virality tiers: per-item rejections inside a
 * batch with the rest applied, whole-batch refusals that apply nothing,
 * and each tier re-checking an item once (re-score, re-match, review).
 */
describe.each<StoreKind>(['embedded', 'real'])('views and virality on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;
  let engineer: ApiClient;

  const reach = async (id: string) => (await service.get(`/v1/contents/${id}/reach`)).body;
  const rechecked = (id: string, tiers: number) =>
    waitFor(() => reach(id), (r) => r.tiers.length === tiers && r.tiers.every((t: { checkedAt: string | null }) => t.checkedAt), `${tiers} re-checked tiers of ${id}`);

  beforeAll(async () => {
    loupe = await startTestApp(stores, { VIRALITY_TIERS: '1000:rescore,100000:review', VIEWS_BATCH_MAX: '50', CONSENSUS_UNCERTAINTY: '0' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    engineer = await loupe.client('ml_engineer');
  });
  afterAll(() => loupe?.close());

  it('applies each count of a batch on its own, and reports unknown items and counts that go back', async () => {
    const a = await uploadSettled(service, 7101);
    const b = await uploadSettled(service, 7102);
    const t0 = Date.now();
    const at = (hours: number) => new Date(t0 + hours * HOUR).toISOString();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const response = await service.post('/v1/views', {
      json: {
        events: [
          { contentId: a.id, views: 100, observedAt: at(1) },
          { contentId: b.id, views: 40, shares: 3, reports: 1, observedAt: at(1) },
          { contentId: unknown, views: 5, observedAt: at(1) },
          { contentId: a.id, views: 300, observedAt: at(2) },
          { contentId: b.id, views: 20, observedAt: at(2) },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ applied: 3, rejected: 2, crossings: [] });
    expect(response.body.rejections).toEqual([
      { index: 2, contentId: unknown, code: 'content.not_found', message: expect.any(String) },
      { index: 4, contentId: b.id, code: 'views.count_decreased', message: expect.any(String) },
    ]);

    const series = await reach(a.id);
    expect(series.series.map((s: { views: number }) => s.views)).toEqual([100, 300]);
    expect(series.series[1].velocityPerHour).toBeCloseTo(200, 6);
    expect((await reach(b.id)).series).toEqual([expect.objectContaining({ views: 40, shares: 3, reports: 1 })]);
    // An analyst reads the series too; the counts themselves come only from the platform.
    expect((await analyst.get(`/v1/contents/${a.id}/reach`)).status).toBe(200);
    expect((await analyst.post('/v1/views', { json: { events: [] } })).status).toBe(403);

    // Older than the last count: rejected for that item alone.
    const stale = await service.post('/v1/views', { json: { events: [{ contentId: a.id, views: 400, observedAt: at(1.5) }] } });
    expect(stale.body.rejections).toEqual([expect.objectContaining({ index: 0, code: 'views.out_of_order' })]);
  });

  it('refuses a malformed or oversized batch whole, applying nothing', async () => {
    const item = await uploadSettled(service, 7103);
    const negative = await service.post('/v1/views', {
      json: {
        events: [
          { contentId: item.id, views: 10 },
          { contentId: item.id, views: -1 },
        ],
      },
    });
    expect(negative.status).toBe(400);
    expect(negative.body.code).toBe('request.invalid');
    expect(negative.body.details.fields.map((f: { field: string }) => f.field)).toContain('events.1.views');
    const tooMany = await service.post('/v1/views', { json: { events: Array.from({ length: 51 }, (_, i) => ({ contentId: item.id, views: i })) } });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ code: 'views.batch_too_large', details: { limit: 50, size: 51 } });
    expect((await reach(item.id)).series).toEqual([]);
    expect((await service.post(`/v1/contents/${item.id}/views`, { json: { views: -5 } })).status).toBe(400);
  });

  it('re-checks an item once per tier: a re-score at the first, human review at the second', async () => {
    const item = await uploadSettled(service, 7104);
    expect(item.status).toBe('allowed');
    const t0 = Date.now();
    const at = (hours: number) => new Date(t0 + hours * HOUR).toISOString();
    const first = await service.post('/v1/views', { json: { events: [{ contentId: item.id, views: 5_000, observedAt: at(1) }] } });
    expect(first.body.crossings).toEqual([{ index: 0, contentId: item.id, viewsPerHour: expect.any(Number), tiers: [1000] }]);
    let seen = await rechecked(item.id, 1);
    expect(seen.tiers[0]).toMatchObject({ tier: 1000, action: 'rescore', outcome: 'rescored: allowed', caseId: null });

    // Faster still, twice: the second tier is crossed once, whatever follows.
    const second = await service.post('/v1/views', {
      json: {
        events: [
          { contentId: item.id, views: 505_000, observedAt: at(2) },
          { contentId: item.id, views: 2_000_000, observedAt: at(3) },
        ],
      },
    });
    expect(second.body.crossings).toEqual([expect.objectContaining({ index: 0, tiers: [100_000] })]);
    seen = await rechecked(item.id, 2);
    expect(seen.tiers[1]).toMatchObject({ tier: 100_000, action: 'review', outcome: 'review', caseId: expect.any(String) });
    const moderator = await loupe.client('moderator', 'vira');
    const task = await claim(moderator);
    expect(task).toMatchObject({ source: 'virality', content: { id: item.id } });
    await service.post('/v1/views', { json: { events: [{ contentId: item.id, views: 9_000_000, observedAt: at(4) }] } });
    expect((await reach(item.id)).tiers).toHaveLength(2);
  });

  it('removes at a tier when the re-score with today’s thresholds says so', async () => {
    // Allowed at ingest (review threshold over its 0.78), then the thresholds come down.
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.9, remove: 0.95 } })).status).toBe(200);
    const upload = await service.post('/v1/contents', { form: contentForm(await readFile(path.join(ROOT, 'test/fixtures/borderline-adult-nudity.png'))) });
    const id = upload.body.id as string;
    const settled = await waitFor(async () => (await service.get(`/v1/contents/${id}`)).body, (c) => !['received', 'processing'].includes(c.status), 'ingest');
    expect(settled.status).toBe('allowed');
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.5, remove: 0.7 } })).status).toBe(200);
    await service.post('/v1/views', { json: { events: [{ contentId: id, views: 50_000, observedAt: new Date(Date.now() + HOUR).toISOString() }] } });
    const seen = await rechecked(id, 1);
    expect(seen.tiers[0]).toMatchObject({ outcome: 'model: removed' });
    const content = (await service.get(`/v1/contents/${id}`)).body;
    expect(content.status).toBe('removed');
    expect(content.decision).toMatchObject({ outcome: 'removed', source: 'model', reason: expect.stringContaining('viral re-check at 1000 views per hour') });
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.6, remove: 0.95 } })).status).toBe(200);
  });
});
