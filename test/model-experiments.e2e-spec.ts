import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ServingStateService } from '@loupe/domain/learning';
import { API_ENTRY, ApiClient, CLI_ENTRY, contentForm, makeSymbolImage, ROOT, startProcess, startTestApp, StoreKind, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(300_000);

type Kind = 'symbol' | 'plain';

/**
 * A challenger beside the champion: as a shadow its scores are stored and
 * never act; as a canary it decides its share of the items, by a stable hash
 * of the content id. The reports compare the two with the human labels that
 * arrive later.
 */
describe.each<StoreKind>(['embedded', 'real'])('shadow and canary on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let engineer: ApiClient;
  let moderator: ApiClient;
  const truth = new Map<string, Kind>();

  const settled = (id: string) =>
    waitFor(async () => (await service.get(`/v1/contents/${id}`)).body, (c) => !['received', 'processing'].includes(c.status), `content ${id} to settle`, 120_000);
  const upload = async (seed: number, kind: Kind) => {
    const response = await service.post('/v1/contents', { form: contentForm(await makeSymbolImage({ seed, kind })) });
    expect(response.status).toBe(202);
    truth.set(response.body.id, kind);
    return settled(response.body.id);
  };
  /** Moderators label every open task by the truth of its item. */
  const labelAll = async () => {
    let next = await moderator.get('/v1/review/next');
    for (; next.status === 200; next = await moderator.get('/v1/review/next')) {
      const labels = [{ policyId: 'hate_symbols', violating: truth.get(next.body.content.id) === 'symbol' }];
      expect((await moderator.post(`/v1/review/tasks/${next.body.id}/decision`, { json: { labels } })).status).toBe(201);
    }
    expect(next.status).toBe(204);
  };
  const report = async (query = '') => {
    const response = await engineer.get(`/v1/models/policy-heads/deployment/report${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    // One moderator labels every item: the exposure limits would stop them at 15 an hour.
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', MODEL_POLL_MS: '300', EXPOSURE_HOURLY_LIMIT: '100000', EXPOSURE_SHIFT_LIMIT: '100000' });
    service = await loupe.client('service');
    engineer = await loupe.client('ml_engineer');
    moderator = await loupe.client('moderator');
    // Every item goes to review, so that every item gets a human label.
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } })).status).toBe(200);
    for (let i = 0; i < 8; i++) await upload(5000 + i, i % 2 ? 'symbol' : 'plain');
    await labelAll();
    // Two versions from the same few labels (one per class suffices here); the first is promoted past its gates.
    for (const seed of [1, 2]) {
      const started = await engineer.post('/v1/training-runs', { json: { params: { minLabelsPerClass: 1, seed } } });
      expect(started.status).toBe(202);
      const run = await waitFor(async () => (await engineer.get(`/v1/training-runs/${started.body.id}`)).body, (r) => !['queued', 'running'].includes(r.status), 'training', 180_000);
      expect(run).toMatchObject({ status: 'succeeded' });
    }
    const promoted = await loupe.admin.post('/v1/models/policy-heads/promote', { json: { version: 1, override: { reason: 'a few labels cannot pass a gate; this test is about experiments' } } });
    expect(promoted.status).toBe(200);
  });
  afterAll(() => loupe?.close());

  it('has no report before a challenger has run', async () => {
    const none = await engineer.get('/v1/models/policy-heads/deployment/report');
    expect([none.status, none.body.code]).toEqual([404, 'model.no_experiment']);
    const unknown = await engineer.get('/v1/models/policy-heads/deployment/report?version=99');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'model.version_not_found']);
    expect((await engineer.get('/v1/models/policy-heads/deployment/report?version=zero')).status).toBe(400);
  });

  it('stores a shadow’s scores without acting on them, and reports it beside the champion and the labels', async () => {
    expect((await engineer.put('/v1/models/policy-heads/deployment', { json: { challenger: 2, mode: 'shadow' } })).status).toBe(200);
    for (let i = 0; i < 6; i++) {
      const item = await upload(6000 + i, i % 2 ? 'symbol' : 'plain');
      const heads = Object.fromEntries(item.scores.filter((s: any) => s.modelId === 'policy-heads').map((s: any) => [s.servingRole, s]));
      expect(heads.champion).toMatchObject({ modelVersion: '1', acted: true });
      expect(heads.shadow).toMatchObject({ modelVersion: '2', acted: false });
      expect(item.decision.modelVersion).toContain('policy-heads@1');
      expect(item.decision.modelVersion).not.toContain('policy-heads@2');
    }
    const before = await report();
    expect(before).toMatchObject({ modelName: 'policy-heads', version: 2, mode: 'shadow', percent: 100, window: { running: true }, items: 6, scored: 6, arms: null });
    expect(before.policies).toEqual([expect.objectContaining({ policyId: 'hate_symbols', items: 6, compared: 6, challenger: expect.objectContaining({ againstLabels: expect.objectContaining({ labelled: 0 }) }) })]);
    const bands = before.policies[0].challenger.bands;
    expect(bands.allow + bands.review + bands.remove).toBe(6);

    // The labels that arrive later join the report: both sides are measured on the same six items.
    await labelAll();
    const after = (await report()).policies[0];
    expect(after.challenger.againstLabels).toMatchObject({ labelled: 6 });
    expect(after.champion.againstLabels).toMatchObject({ labelled: 6 });
    const { truePositives, falseNegatives } = after.challenger.againstLabels;
    expect(truePositives + falseNegatives).toBe(3);
  });

  it('lets a canary decide its share, chosen by a stable hash, and reports both arms', async () => {
    expect((await engineer.put('/v1/models/policy-heads/deployment', { json: { challenger: 2, mode: 'canary', percent: 40 } })).status).toBe(200);
    // The share over 1,000 items, as every process plans it from the stored deployment. Fixed ids, so the count is the
    // same on every run: random ones drew 451 of 1,000 once (3.3 standard deviations from 400), and the bound failed.
    const serving = loupe.get(ServingStateService);
    await waitFor(async () => (await serving.current()).state.experiments['policy-heads']?.mode, (mode) => mode === 'canary', 'the canary to serve', 10_000);
    let canary = 0;
    for (let i = 0; i < 1000; i++) {
      const plan = await serving.plan(fixedUuid(i));
      if (plan.some((head) => head.role === 'canary' && head.decides.includes('hate_symbols'))) canary++;
    }
    expect(Math.abs(canary / 10 - 40)).toBeLessThanOrEqual(5);

    const arms = { canary: 0, champion: 0 };
    for (let i = 0; i < 12; i++) {
      const item = await upload(7000 + i, i % 2 ? 'symbol' : 'plain');
      const heads = item.scores.filter((s: any) => s.modelId === 'policy-heads');
      const challenger = heads.find((s: any) => s.servingRole === 'canary');
      if (challenger) {
        arms.canary++;
        expect(challenger).toMatchObject({ modelVersion: '2', acted: true });
        expect(heads.find((s: any) => s.servingRole === 'champion')).toMatchObject({ modelVersion: '1', acted: false });
        expect(item.decision.modelVersion).toContain('policy-heads@2');
      } else {
        arms.champion++;
        expect(heads).toEqual([expect.objectContaining({ modelVersion: '1', servingRole: 'champion', acted: true })]);
      }
    }
    await labelAll();
    const canaryReport = await report();
    expect(canaryReport).toMatchObject({ mode: 'canary', percent: 40, items: 12, scored: arms.canary });
    expect(canaryReport.arms).toMatchObject({ expectedShare: 40, challenger: { items: arms.canary }, champion: { items: arms.champion } });
    expect(canaryReport.arms.challenger.share + canaryReport.arms.champion.share).toBeCloseTo(100);
    for (const arm of [canaryReport.arms.challenger, canaryReport.arms.champion]) {
      const { allowed, in_review, removed } = arm.outcomes;
      expect(allowed + in_review + removed).toBe(arm.items);
      expect(arm.policies[0]).toMatchObject({ policyId: 'hate_symbols', againstLabels: { labelled: arm.items } });
    }

    // Stopped, the experiment's report stays readable, its window closed.
    expect((await engineer.put('/v1/models/policy-heads/deployment', { json: { challenger: null, mode: 'none' } })).status).toBe(200);
    expect(await report('?version=2')).toMatchObject({ mode: 'canary', items: 12, window: { running: false } });
  });

  it('promotes only the heads that passed their gates; the other policies keep what serves them', async () => {
    // Four items labelled for spam too, in classes of their own (one also violates self_harm), so
    // that the per-class test split leaves them all to train: the next version has a spam head.
    const spamOf = new Map<string, { spam: boolean; selfHarm: boolean }>();
    for (let i = 0; i < 4; i++) spamOf.set((await upload(8000 + i, 'plain')).id, { spam: i < 2, selfHarm: i >= 2 });
    for (let next = await moderator.get('/v1/review/next'); next.status === 200; next = await moderator.get('/v1/review/next')) {
      const extra = spamOf.get(next.body.content.id);
      const labels = [{ policyId: 'hate_symbols', violating: truth.get(next.body.content.id) === 'symbol' }];
      if (extra) labels.push({ policyId: 'spam', violating: extra.spam }, ...(extra.selfHarm ? [{ policyId: 'self_harm', violating: true }] : []));
      expect((await moderator.post(`/v1/review/tasks/${next.body.id}/decision`, { json: { labels } })).status).toBe(201);
    }
    // A gate that hate_symbols cannot pass (PR-AUC at most -1), and none on spam.
    const gates = [{ name: 'hate_symbols never passes', policy: 'hate_symbols', metric: 'prAuc', greaterIsBetter: false, threshold: -1 }];
    const started = await engineer.post('/v1/training-runs', { json: { params: { minLabelsPerClass: 1, seed: 3, gates } } });
    expect(started.status).toBe(202);
    const run = await waitFor(async () => (await engineer.get(`/v1/training-runs/${started.body.id}`)).body, (r) => !['queued', 'running'].includes(r.status), 'training', 180_000);
    expect(run).toMatchObject({ status: 'succeeded' });
    const version = (await engineer.get('/v1/models/policy-heads/versions/3')).body;
    expect(version).toMatchObject({ version: 3, gatesPassed: false });
    expect(version.policies).toEqual(expect.arrayContaining(['hate_symbols', 'spam']));
    expect(version.policies).not.toContain('self_harm');

    const promote = (json: Record<string, unknown>) => engineer.post('/v1/models/policy-heads/promote', { json: { version: 3, ...json } });
    for (const json of [{}, { policies: ['hate_symbols'] }, { policies: ['spam', 'hate_symbols'] }]) {
      const refused = await promote(json);
      expect([refused.status, refused.body.code]).toEqual([409, 'model.gates_failed']);
    }
    const foreign = await promote({ policies: ['self_harm'] });
    expect([foreign.status, foreign.body.code, foreign.body.details?.policies]).toEqual([400, 'model.policy_not_in_version', version.policies]);
    expect((await promote({ policies: [] })).status).toBe(400);

    const spamThresholds = async () => (await engineer.get('/v1/policies')).body.find((p: { id: string }) => p.id === 'spam').thresholds;
    const spamBefore = await spamThresholds();
    const promoted = await promote({ policies: ['spam'] });
    expect(promoted.status).toBe(200);
    const served = Object.fromEntries(promoted.body.policies.map((p: { policyId: string; version: number }) => [p.policyId, p.version]));
    expect(served).toEqual({ hate_symbols: 1, spam: 3 });
    // Only spam's proposed thresholds took effect.
    expect(await spamThresholds()).toEqual(version.thresholds.spam);
    expect(version.thresholds.spam).not.toEqual(spamBefore);

    // A rollback undoes that promotion: spam returns to what served it (nothing), hate_symbols stays on version 1.
    const rolledBack = await engineer.post('/v1/models/policy-heads/rollback', { json: {} });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.policies.map((p: { policyId: string; version: number }) => [p.policyId, p.version])).toEqual([['hate_symbols', 1]]);
    expect(await spamThresholds()).toEqual(spamBefore);
  });

  it('prints the report from the command line', async () => {
    // The command reads the database directly: PostgreSQL here (an embedded database is held by the running server).
    if (stores !== 'real') return;
    if (!existsSync(path.join(ROOT, API_ENTRY))) throw new Error('Build first: npm run build (npm test does it)');
    const database = loupe.config.database;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const cli = startProcess(process.execPath, [path.join(ROOT, CLI_ENTRY), 'models', 'report', 'policy-heads', '2'], { DATABASE_URL: database.url, DATA_DIR: loupe.dataDir });
    if ((await cli.exited) !== 0) throw new Error(`loupe models report failed:\n${cli.output()}`);
    expect(cli.output()).toMatch(/policy-heads version 2: canary at 40%/);
    expect(cli.output()).toMatch(/Canary arms, as decided:\n\s+challenger\s+\d+ items, [\d.]+% \(configured 40%\)/);
  });
});

/** A UUID-shaped id from a number, the same on every run. */
function fixedUuid(n: number): string {
  const hex = createHash('sha256').update(`canary-share-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
