import {
  ApiClient,
  claim,
  contentForm,
  decide,
  exportLabels,
  isolatedQueue,
  makeImage,
  moderatorIdOf,
  notViolating,
  reviewEverything,
  startTestApp,
  StoreKind,
  TestApp,
  uploadSettled,
  violating,
  waitFor,
} from '@loupe/testing';

jest.setTimeout(240_000);

/**
 * What decisions lead to: appeals and overturns, the audit log, labels as
 * training data, idempotent retries, and viral content sent back to review.
 */
describe.each<StoreKind>(['embedded', 'real'])('review outcomes on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;
  let engineer: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', VIRALITY_TIERS: '50000:review' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    engineer = await loupe.client('ml_engineer');
    alice = await loupe.client('moderator', 'alice');
    bob = await loupe.client('moderator', 'bob');
    await reviewEverything(loupe);
  });
  afterAll(() => loupe?.close());

  it('records the decision once, with action, note and the time spent since the claim', async () => {
    await isolatedQueue(loupe, 'ca', 'CA');
    const item = await uploadSettled(service, 201, { region: 'CA' });
    const task = await claim(alice, 'ca');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const body = { labels: violating(), action: 'remove', note: 'explicit' };
    const first = await alice.post(`/v1/review/tasks/${task.id}/decision`, { json: body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ outcome: 'removed', action: 'remove', note: 'explicit', contentId: item.id });
    expect(first.body.timeSpentMs).toBeGreaterThanOrEqual(300);
    // A retried request gets the same decision back, and nothing is recorded twice.
    const retry = await alice.post(`/v1/review/tasks/${task.id}/decision`, { json: body });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const decisions = (await analyst.get(`/v1/audit?action=review.decide&entityId=${task.id}`)).body;
    expect(decisions).toHaveLength(1);
    expect((await exportLabels(analyst)).filter((l) => l.content_id === item.id)).toHaveLength(1);
    const bad = await alice.post(`/v1/review/tasks/${task.id}/decision`, { json: { ...body, action: 'Remove It' } });
    expect(bad.status).toBe(400);
  });

  it('reviews an appeal by someone other than the decider; an overturn reinstates the item and stops its bank entry matching', async () => {
    await isolatedQueue(loupe, 'mx', 'MX', { sources: ['model'] });
    const image = await makeImage({ seed: 211 });
    const upload = await service.post('/v1/contents', { form: contentForm(image, { region: 'MX' }) });
    await waitFor(async () => (await service.get(`/v1/contents/${upload.body.id}`)).body.status, (s) => s === 'in_review', 'review');
    const task = await claim(alice, 'mx');
    await decide(alice, task.id, violating());
    const removed = (await service.get(`/v1/contents/${upload.body.id}`)).body;
    expect(removed.status).toBe('removed');

    const appeal = await service.post(`/v1/contents/${removed.id}/appeals`, { json: { statement: 'It is a sculpture in a museum' } });
    expect(appeal.status).toBe(201);
    expect(appeal.body).toMatchObject({ status: 'open', decisionId: removed.decision.id, caseId: expect.any(String) });
    const twice = await service.post(`/v1/contents/${removed.id}/appeals`, { json: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('appeal.exists');

    // The moderator who removed it never reviews the appeal.
    expect(await claim(alice, 'appeals')).toBeNull();
    const appealTask = await claim(bob, 'appeals');
    expect(appealTask).toMatchObject({ source: 'appeal', content: { id: removed.id } });
    await decide(bob, appealTask.id, notViolating());

    const reinstated = (await service.get(`/v1/contents/${removed.id}`)).body;
    expect(reinstated.status).toBe('allowed');
    expect(reinstated.decision).toMatchObject({ outcome: 'allowed', source: 'human', overturnsDecisionId: removed.decision.id });
    expect(reinstated.history.find((d: { id: string }) => d.id === removed.decision.id).overturnedByDecisionId).toBe(reinstated.decision.id);
    expect((await service.get(`/v1/contents/${removed.id}/appeals`)).body[0]).toMatchObject({ status: 'overturned', decidedAt: expect.any(String) });

    // The removal's bank entry no longer matches: a re-upload goes to review, not to removal by hash.
    const again = await uploadSettled(service, 211, { region: 'MX' });
    const reupload = (await service.get(`/v1/contents/${again.id}`)).body;
    expect(reupload.status).toBe('in_review');
    expect(reupload.decision.source).toBe('model');
    await decide(alice, (await claim(alice, 'mx')).id, notViolating());

    const label = (await exportLabels(engineer, 'provenance=appeal')).find((l) => l.content_id === removed.id);
    expect(label).toMatchObject({ outcome: 'allowed', labeller_id: await moderatorIdOf(loupe, 'bob') });
    // The export tells the two labels apart: the appeal's replaced the removal's. Each row names the
    // media and carries the text, so it can train a model without the database.
    const both = (await exportLabels(engineer)).filter((l) => l.content_id === removed.id);
    expect(both.map((l) => [l.provenance, l.outcome, l.superseded_by])).toEqual([
      ['single_review', 'removed', label.id],
      ['appeal', 'allowed', null],
    ]);
    for (const row of both) {
      expect(row).toMatchObject({
        media_sha256: removed.media.sha256,
        media_format: removed.media.format,
        kind: 'image',
        caption: removed.caption,
        hashtags: removed.hashtags,
        language: removed.language,
      });
    }
    const audit = (await analyst.get(`/v1/audit?entityId=${appeal.body.id}`)).body.map((e: { action: string }) => e.action);
    expect(audit.sort()).toEqual(['appeal.create', 'appeal.overturned']);
  });

  it('upholds an appeal: the item stays removed, and only removed items can be appealed', async () => {
    await isolatedQueue(loupe, 'ar', 'AR', { sources: ['model'] });
    const item = await uploadSettled(service, 221, { region: 'AR' });
    const notRemoved = await service.post(`/v1/contents/${item.id}/appeals`, { json: {} });
    expect(notRemoved.status).toBe(409);
    expect(notRemoved.body.code).toBe('appeal.not_removed');
    await decide(bob, (await claim(bob, 'ar')).id, violating());
    const appeal = await service.post(`/v1/contents/${item.id}/appeals`, { json: { statement: 'please' } });
    expect(await claim(bob, 'appeals')).toBeNull();
    await decide(alice, (await claim(alice, 'appeals')).id, violating());
    expect((await service.get(`/v1/contents/${item.id}`)).body.status).toBe('removed');
    expect((await service.get(`/v1/contents/${item.id}/appeals`)).body[0]).toMatchObject({ id: appeal.body.id, status: 'upheld' });
  });

  it('keeps an audit log that admins and analysts can query and nobody can change', async () => {
    const events = await analyst.get('/v1/audit?action=review.&limit=500');
    expect(events.status).toBe(200);
    const actions = new Set(events.body.map((e: { action: string }) => e.action));
    for (const action of ['review.claim', 'review.decide', 'review.case.open']) expect(actions).toContain(action);
    const page = await analyst.get('/v1/audit?limit=2');
    const older = await analyst.get(`/v1/audit?limit=2&before=${page.body[1].id}`);
    expect(older.body[0].id).toBeLessThan(page.body[1].id);
    const moderator = await alice.get('/v1/audit');
    expect(moderator.status).toBe(403);
    for (const method of ['DELETE', 'PUT', 'PATCH', 'POST'] as const) {
      expect([404, 405]).toContain((await loupe.admin.request(method, `/v1/audit/${page.body[0].id}`, { json: {} })).status);
    }
    expect((await analyst.get('/v1/audit?actorId=not-a-uuid')).status).toBe(400);
  });

  it('exports labels as JSONL, filtered by time, policy and provenance', async () => {
    const all = await exportLabels(engineer);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const label of all) {
      expect(label).toMatchObject({
        content_id: expect.any(String),
        labels: expect.any(Array),
        provenance: expect.stringMatching(/^(single_review|consensus|senior|gold|appeal)$/),
        agreement: expect.any(Number),
        labelled_at: expect.any(String),
      });
      expect(label.model_scores[0]).toMatchObject({ model_id: 'nsfwjs-mobilenetv2', model_version: '4.3.0', policy_scores: expect.any(Object) });
    }
    const singles = await exportLabels(engineer, 'provenance=single_review');
    expect(singles.length).toBeGreaterThan(0);
    expect(singles.every((l) => l.provenance === 'single_review')).toBe(true);
    expect(await exportLabels(engineer, 'policyId=minor_safety')).toEqual([]);
    const cut = all[1].labelled_at;
    const before = await exportLabels(engineer, `to=${encodeURIComponent(cut)}`);
    const after = await exportLabels(engineer, `from=${encodeURIComponent(cut)}`);
    expect(before.length + after.length).toBe(all.length);
    expect(before.every((l) => l.labelled_at < cut)).toBe(true);
    const response = await engineer.get('/v1/labels/export');
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect((await engineer.get('/v1/labels/export?provenance=guess')).status).toBe(400);
    expect((await engineer.get('/v1/labels/export?from=yesterday')).status).toBe(400);
  });

  it('raises priority with reach, and sends allowed content that goes viral back to review', async () => {
    await isolatedQueue(loupe, 'kr', 'KR');
    const item = await uploadSettled(service, 231, { region: 'KR' });
    await decide(alice, (await claim(alice, 'kr')).id, notViolating());
    expect((await service.get(`/v1/contents/${item.id}`)).body.status).toBe('allowed');

    // The first count is measured from the upload; the second, an hour on, says the item took off.
    const now = Date.now();
    const slow = await service.post(`/v1/contents/${item.id}/views`, { json: { views: 10, observedAt: new Date(now).toISOString() } });
    expect(slow.status).toBe(201);
    expect(slow.body.tiersCrossed).toEqual([]);
    const fast = await service.post(`/v1/contents/${item.id}/views`, { json: { views: 100_010, observedAt: new Date(now + 3600_000).toISOString() } });
    expect(fast.body).toMatchObject({ views: 100_010, tiersCrossed: [50_000] });
    expect(fast.body.viewsPerHour).toBeCloseTo(100_000, 0);
    const stale = await service.post(`/v1/contents/${item.id}/views`, { json: { views: 5, observedAt: new Date(now).toISOString() } });
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe('views.out_of_order');

    // The tier's re-check (a job: re-score, re-match) sends it to review: this queue reviews every score.
    const reach = await waitFor(async () => (await service.get(`/v1/contents/${item.id}/reach`)).body, (r) => r.tiers[0]?.checkedAt, 'the re-check');
    expect(reach.tiers).toEqual([expect.objectContaining({ tier: 50_000, action: 'review', outcome: 'model: in_review', caseId: expect.any(String) })]);
    expect(reach.series.map((s: { views: number }) => s.views)).toEqual([10, 100_010]);

    const quiet = await uploadSettled(service, 232, { region: 'KR' });
    const viral = await claim(bob, 'kr');
    expect(viral).toMatchObject({ source: 'virality', content: { id: item.id, views: 100_010 } });
    const ordinary = await claim(bob, 'kr');
    expect(ordinary.content.id).toBe(quiet.id);
    expect(viral.priority).toBeGreaterThan(ordinary.priority);
  });
});
