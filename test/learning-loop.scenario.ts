/**
 * The learning loop's proof, shared by one test file per store, so that the two
 * (the longest of the suite) run side by side in two Jest workers.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiClient, contentForm, makeSymbolImage, ROOT, startTestApp, StoreKind, TestApp, waitFor } from '@loupe/testing';

/** Labelled examples of each class the moderators give; unseen items of each kind that judge the result. */
const LABELLED = 60;
const UNSEEN = 30;

type Truth = { violating: boolean; kind: 'symbol' | 'decoy' | 'plain' | 'tagged' | 'untagged' };

async function upload(service: ApiClient, image: Buffer, fields: Record<string, string> = {}): Promise<string> {
  const response = await service.post('/v1/contents', { form: contentForm(image, fields) });
  if (response.status !== 202) throw new Error(`upload: ${response.status} ${response.text}`);
  return response.body.id;
}

/** Runs `work` on every element, `width` at a time: uploads in flight keep the compute thread busy. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i], i);
      }
    }),
  );
  return out;
}

/**
 * Uploads the items one after another and then waits for all of them. With
 * one job at a time (JOB_CONCURRENCY 1) their cases open in upload order, so
 * the moderators label them in that order, and the dataset's time-ordered
 * test split, hence the trained head, is the same on every run. Parallel
 * uploads made it vary: one run in many caught too few new symbols.
 */
async function uploadInOrder(service: ApiClient, count: number, make: (i: number) => Promise<{ image: Buffer; fields?: Record<string, string>; truth: Truth }>, truths: Map<string, Truth>): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { image, fields, truth } = await make(i);
    const id = await upload(service, image, fields);
    truths.set(id, truth);
    ids.push(id);
  }
  await inParallel(ids, 6, (id) => settled(service, id));
}

async function settled(service: ApiClient, id: string): Promise<any> {
  return waitFor(async () => (await service.get(`/v1/contents/${id}`)).body, (c) => !['received', 'processing'].includes(c.status), `content ${id} to settle`, 120_000);
}

/**
 * Moderators label every open task by the truth of its item, through the
 * review API; items of earlier tests still in review are labelled not
 * violating. Returns how many of `truths` were labelled.
 */
async function labelAll(moderator: ApiClient, truths: Map<string, Truth>, policyId: string): Promise<number> {
  let decided = 0;
  for (;;) {
    const next = await moderator.get('/v1/review/next');
    if (next.status === 204) return decided;
    if (next.status !== 200) throw new Error(`claim: ${next.status} ${next.text}`);
    const truth = truths.get(next.body.content.id);
    const decision = await moderator.post(`/v1/review/tasks/${next.body.id}/decision`, { json: { labels: [{ policyId, violating: truth?.violating ?? false }] } });
    if (decision.status !== 201) throw new Error(`decide: ${decision.status} ${decision.text}`);
    if (truth) decided++;
  }
}

async function trainAndWait(engineer: ApiClient, body: unknown): Promise<any> {
  const started = await engineer.post('/v1/training-runs', { json: body });
  if (started.status !== 202) throw new Error(`training: ${started.status} ${started.text}`);
  return waitFor(async () => (await engineer.get(`/v1/training-runs/${started.body.id}`)).body, (r) => !['queued', 'running'].includes(r.status), 'the training run', 300_000);
}

/**
 * The loop, end to end, on a concept no model knows: moderators label it
 * through the review API, a run trains a head, the gates pass, it is
 * promoted, and new items of the concept are caught while look-alikes are
 * not, and the adult-nudity model's scores do not move.
 */
export function describeLearningLoop(stores: StoreKind): void {
  describe(`the learning loop on ${stores} stores`, () => {
    let loupe: TestApp;
    let service: ApiClient;
    let engineer: ApiClient;
    let moderator: ApiClient;

    beforeAll(async () => {
      loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', EXPOSURE_HOURLY_LIMIT: '100000', EXPOSURE_SHIFT_LIMIT: '100000', TRAINING_MIN_LABELS: '20', JOB_CONCURRENCY: '1' });
      service = await loupe.client('service');
      engineer = await loupe.client('ml_engineer');
      moderator = await loupe.client('moderator', 'labeller');
    });
    afterAll(() => loupe?.close());

    /** The baseline's adult-nudity score of the borderline fixture, uploaded afresh. */
    const nudityScore = async (): Promise<{ id: string; score: number }> => {
      const fixture = await readFile(path.join(ROOT, 'test/fixtures/borderline-adult-nudity.png'));
      const item = await settled(service, await upload(service, fixture));
      return { id: item.id, score: item.scores.find((s: { modelId: string }) => s.modelId === 'nsfwjs-mobilenetv2').policyScores.adult_nudity };
    };

    it('learns a symbol from moderators, passes its gates, is promoted, and then catches new ones and not their look-alikes', async () => {
      const nudityBefore = await nudityScore();
      // Every item goes to review while the moderators label (the baseline never removes it).
      expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } })).status).toBe(200);
      // The fixture went to review (0.78 is above the default review threshold): it is labelled too, not a symbol.
      const truths = new Map<string, Truth>([[nudityBefore.id, { violating: false, kind: 'plain' }]]);
      const kindOf = (i: number) => (i % 2 === 0 ? 'symbol' : i % 4 === 1 ? 'decoy' : 'plain');
      await uploadInOrder(service, LABELLED * 2, async (i) => ({ image: await makeSymbolImage({ seed: 10_000 + i, kind: kindOf(i) }), truth: { violating: kindOf(i) === 'symbol', kind: kindOf(i) } }), truths);
      expect(await labelAll(moderator, truths, 'hate_symbols')).toBe(LABELLED * 2 + 1);
      expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.6, remove: 0.95 } })).status).toBe(200);

      const run = await trainAndWait(engineer, { filter: { policyIds: ['hate_symbols'] } });
      expect(run).toMatchObject({ status: 'succeeded', message: null, modelVersionId: expect.any(String), progress: { stage: 'saving' } });
      const version = (await engineer.get('/v1/models/policy-heads/versions/1')).body;
      expect(version).toMatchObject({ policies: ['hate_symbols'], gatesPassed: true, source: 'trained', lineage: { datasetId: run.datasetId, trainingRunId: run.id } });
      expect(version.card).toMatchObject({ policies: ['hate_symbols'], training: { seed: 1 } });
      const evaluation = (await engineer.get('/v1/models/policy-heads/versions/1/evaluation')).body;
      expect(evaluation.splits.test.hate_symbols.candidate.metrics.prAuc).toBeGreaterThan(0.8);

      const promoted = await engineer.post('/v1/models/policy-heads/promote', { json: {} });
      expect(promoted.status).toBe(200);
      expect(promoted.body.policies).toEqual([{ policyId: 'hate_symbols', modelName: 'policy-heads', version: 1, versionId: version.id }]);
      const policies = (await engineer.get('/v1/policies')).body as { id: string; thresholds: unknown }[];
      expect(policies.find((p) => p.id === 'hate_symbols')!.thresholds).toEqual(version.thresholds.hate_symbols);

      // New items, never labelled: symbols are sent to review or removed; decoys and plain scenes mostly are not.
      const flagged = { symbol: 0, decoy: 0, plain: 0 };
      await inParallel(Array.from({ length: UNSEEN * 2 }, (_, i) => i), 6, async (i) => {
        const kind = kindOf(i);
        const item = await settled(service, await upload(service, await makeSymbolImage({ seed: 50_000 + i, kind })));
        const head = item.scores.find((s: { modelId: string }) => s.modelId === 'policy-heads');
        expect(head).toMatchObject({ modelVersion: '1', backend: 'onnxruntime', servingRole: 'champion', acted: true });
        if (item.status !== 'allowed' && item.decision.policyIds.includes('hate_symbols')) flagged[kind]++;
      });
      expect(flagged.symbol / UNSEEN).toBeGreaterThanOrEqual(0.9);
      expect((flagged.decoy + flagged.plain) / UNSEEN).toBeLessThanOrEqual(0.1);
      expect((await nudityScore()).score).toBeCloseTo(nudityBefore.score, 6);
    });
    it('refuses a worse candidate at its gates; an admin may override, audited; rollback returns to the champion and its thresholds', async () => {
      const admin = loupe.admin;
      const before = (await engineer.get('/v1/models/deployments')).body;
      expect(before.policies).toEqual([expect.objectContaining({ policyId: 'hate_symbols', version: 1 })]);
      // One epoch at a tiny learning rate: a head that has hardly moved from its start.
      const run = await trainAndWait(engineer, { filter: { policyIds: ['hate_symbols'] }, params: { epochs: 1, learningRate: 0.000001, seed: 7 } });
      expect(run.status).toBe('succeeded');
      const worse = (await engineer.get('/v1/models/policy-heads/versions/2')).body;
      expect(worse.gatesPassed).toBe(false);
      expect(worse.gates.failures[0].reason).toMatch(/PR-AUC fell by/);

      const refused = await engineer.post('/v1/models/policy-heads/promote', { json: { version: 2 } });
      expect([refused.status, refused.body.code]).toEqual([409, 'model.gates_failed']);
      const notAdmin = await engineer.post('/v1/models/policy-heads/promote', { json: { version: 2, override: { reason: 'try it' } } });
      expect([notAdmin.status, notAdmin.body.code]).toEqual([403, 'model.override_admin_only']);
      const thresholdsOf = async () => ((await engineer.get('/v1/policies')).body as { id: string; thresholds: unknown }[]).find((p) => p.id === 'hate_symbols')!.thresholds;
      const championThresholds = await thresholdsOf();
      const overridden = await admin.post('/v1/models/policy-heads/promote', { json: { version: 2, override: { reason: 'testing the override' } } });
      expect(overridden.status).toBe(200);
      const audit = (await admin.get('/v1/audit?action=model.promote_override')).body;
      expect(audit[0]).toMatchObject({ entityId: 'policy-heads', data: { version: 2, reason: 'testing the override' } });
      const between = new Date().toISOString();

      const rolledBack = await engineer.post('/v1/models/policy-heads/rollback', { json: {} });
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body.policies).toEqual([expect.objectContaining({ policyId: 'hate_symbols', version: 1 })]);
      expect(await thresholdsOf()).toEqual(championThresholds);
      // Beside the heads, the backbone's exported graph, registered when the first item was classified.
      expect((await engineer.get('/v1/models')).body).toEqual([
        expect.objectContaining({ name: 'backbone', versions: 1, aliases: {} }),
        expect.objectContaining({ name: 'policy-heads', versions: 2, aliases: { champion: 1 } }),
      ]);
      // The history answers for any moment: v2 served hate_symbols between the override and the rollback.
      const then = (await engineer.get(`/v1/models/deployments?at=${encodeURIComponent(between)}`)).body;
      expect(then.policies).toEqual([expect.objectContaining({ policyId: 'hate_symbols', version: 2 })]);
      const beforeAll = (await engineer.get('/v1/models/deployments?at=2020-01-01T00:00:00Z')).body;
      expect(beforeAll).toMatchObject({ seq: null, policies: [] });
    });

    it('learns a hashtag that moderators label as violating, and promotes it for its policy alone', async () => {
      const TAG = '#lanternchallenge';
      const CAPTIONS = ['watch till the end', 'my new favourite thing', 'had to try this', 'look at this', 'you need to see this', 'so much fun today'];
      const OTHER_TAGS = ['#weekend', '#food', '#travel', '#music', '#dance'];
      // Plain scenes, which the symbol's head leaves alone: only the hashtag tells the items apart.
      expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } })).status).toBe(200);
      const truths = new Map<string, Truth>();
      await uploadInOrder(
        service,
        80,
        async (i) => {
          const tagged = i % 2 === 0;
          // Captions and other hashtags from one pool for both classes: the hashtag is the only difference.
          const caption = CAPTIONS[Math.floor(i / 2) % CAPTIONS.length];
          const hashtags = [...(tagged ? [TAG] : []), OTHER_TAGS[Math.floor(i / 2) % OTHER_TAGS.length], '#fyp'].join(',');
          const image = await makeSymbolImage({ seed: 20_000 + i, kind: 'plain', size: 224 });
          return { image, fields: { caption, hashtags }, truth: { violating: tagged, kind: tagged ? 'tagged' : 'untagged' } };
        },
        truths,
      );
      expect(await labelAll(moderator, truths, 'dangerous_acts')).toBe(80);
      expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.6, remove: 0.95 } })).status).toBe(200);

      const run = await trainAndWait(engineer, { filter: { policyIds: ['dangerous_acts'] } });
      expect(run).toMatchObject({ status: 'succeeded', message: null });
      const versions = (await engineer.get('/v1/models')).body.find((m: { name: string }) => m.name === 'policy-heads');
      const version = (await engineer.get(`/v1/models/policy-heads/versions/${versions.latestVersion}`)).body;
      expect(version).toMatchObject({ policies: ['dangerous_acts'], gatesPassed: true });
      const promoted = await engineer.post('/v1/models/policy-heads/promote', { json: { version: version.version } });
      // Each policy is served by the version that has its head: the symbol's stays with version 1.
      expect(promoted.body.policies).toEqual([
        expect.objectContaining({ policyId: 'dangerous_acts', version: version.version }),
        expect.objectContaining({ policyId: 'hate_symbols', version: 1 }),
      ]);

      let caught = 0;
      let flaggedWithout = 0;
      await inParallel(Array.from({ length: 40 }, (_, i) => i), 6, async (i) => {
        const tagged = i % 2 === 0;
        // A new caption, and the hashtag in another case: normalised, it is the same feature.
        const hashtags = [...(tagged ? ['#LanternChallenge'] : []), OTHER_TAGS[(i >> 1) % OTHER_TAGS.length]].join(',');
        const item = await settled(service, await upload(service, await makeSymbolImage({ seed: 30_000 + i, kind: 'plain', size: 224 }), { caption: `new clip ${i}`, hashtags }));
        const hit = item.status !== 'allowed' && item.decision.policyIds.includes('dangerous_acts');
        if (tagged && hit) caught++;
        if (!tagged && hit) flaggedWithout++;
      });
      expect(caught / 20).toBeGreaterThanOrEqual(0.9);
      expect(flaggedWithout / 20).toBeLessThanOrEqual(0.1);
    });
  });
}
