import { randomUUID } from 'node:crypto';
import { ApiClient, claim, decide, isolatedQueue, moderatorIdOf, PolicyLabel, reviewEverything, startTestApp, StoreKind, TestApp, uploadSettled } from '@loupe/testing';

jest.setTimeout(240_000);

const NUDITY = 'adult_nudity';
const ED = 'eating_disorder_promotion';
const yes: PolicyLabel[] = [{ policyId: NUDITY, violating: true }];
const no: PolicyLabel[] = [{ policyId: NUDITY, violating: false }];
const promotion: PolicyLabel = { policyId: ED, violating: true, nuance: 'promotion' };
const recovery: PolicyLabel = { policyId: ED, violating: false, nuance: 'recovery' };
const notEd: PolicyLabel = { policyId: ED, violating: false };

/** The Wilson score interval at 95%, written out here so the test does not lean on the code it checks. */
function wilson(correct: number, n: number): { lower: number; upper: number } {
  const z = 1.959963984540054;
  const p = correct / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return { lower: correct === 0 ? 0 : centre - half, upper: correct === n ? 1 : centre + half };
}

/**
 * Moderator accuracy from a history built through the API, whose every
 * answer is known. Eight items in a queue that needs three blind reviews:
 * items 0–2 violate, 3–7 do not. Alice is always right, Bob over-removes
 * items 3 and 4, Carol always says "not violating". Then three gold items
 * on eating-disorder content (the contents of items 5–7): Bob removes a
 * recovery post, Carol lets a promotion through. After Carol's training,
 * she reviews two violating items rightly.
 */
describe.each<StoreKind>(['embedded', 'real'])('moderator accuracy on %s stores', (stores) => {
  let loupe: TestApp;
  let analyst: ApiClient;
  let moderators: Record<'alice' | 'bob' | 'carol', ApiClient>;
  let ids: Record<'alice' | 'bob' | 'carol', string>;
  let items: string[] = [];
  let later: string[] = [];
  let packId = '';

  const truth = (contentId: string) => items.indexOf(contentId) < 3;
  const answers: Record<'alice' | 'bob' | 'carol', (contentId: string) => PolicyLabel[]> = {
    alice: (c) => (truth(c) ? yes : no),
    bob: (c) => (truth(c) || [3, 4].includes(items.indexOf(c)) ? yes : no),
    carol: () => no,
  };
  const goldAnswers: Record<'alice' | 'bob' | 'carol', (index: number) => PolicyLabel[]> = {
    alice: (i) => [i === 5 ? promotion : recovery],
    bob: (i) => [i === 7 ? recovery : promotion],
    carol: () => [notEd],
  };

  /** Claims from the queue until it is empty, answering as the moderator does. */
  async function work(name: 'alice' | 'bob' | 'carol', queue: string, answer: (contentId: string) => PolicyLabel[]): Promise<number> {
    let done = 0;
    for (let task = await claim(moderators[name], queue); task; task = await claim(moderators[name], queue)) {
      await decide(moderators[name], task.id, answer(task.content.id));
      done++;
    }
    return done;
  }

  beforeAll(async () => {
    // No consensus from model uncertainty (the rule asks for it), and no exposure limit in the way of 14 reviews each.
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', EXPOSURE_HOURLY_LIMIT: '100', EXPOSURE_SHIFT_LIMIT: '200' });
    const service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    moderators = { alice: await loupe.client('moderator', 'alice'), bob: await loupe.client('moderator', 'bob'), carol: await loupe.client('moderator', 'carol') };
    ids = { alice: await moderatorIdOf(loupe, 'alice'), bob: await moderatorIdOf(loupe, 'bob'), carol: await moderatorIdOf(loupe, 'carol') };
    for (const [name, team] of [['alice', 'day'], ['bob', 'day'], ['carol', 'night']] as const) {
      expect((await loupe.admin.request('PATCH', `/v1/moderators/${ids[name]}`, { json: { team } })).status).toBe(200);
    }
    await reviewEverything(loupe);
    await isolatedQueue(loupe, 'accuracy', 'NO', { ruleConsensus: 3 });
    await isolatedQueue(loupe, 'after-training', 'DK', { ruleConsensus: 3 });
    const uploads = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => uploadSettled(service, 7001 + i, { region: 'NO' })),
      ...Array.from({ length: 2 }, (_, i) => uploadSettled(service, 7101 + i, { region: 'DK' })),
    ]);
    expect(uploads.every((u) => u.status === 'in_review')).toBe(true);
    items = uploads.slice(0, 8).map((u) => u.id);
    later = uploads.slice(8).map((u) => u.id);

    for (const name of ['alice', 'bob', 'carol'] as const) expect(await work(name, 'accuracy', answers[name])).toBe(8);

    // Gold on the contents of items 5–7, handed out at the queue's gold rate (1: every claim, while any is unseen).
    const goldLabels = [[promotion], [recovery], [recovery]];
    for (const [k, labels] of goldLabels.entries()) {
      expect((await loupe.admin.post('/v1/review/gold', { json: { contentId: items[5 + k], labels } })).status).toBe(201);
    }
    expect((await loupe.admin.put('/v1/review/queues/accuracy', { json: { name: 'accuracy', goldRate: 1 } })).status).toBe(200);
    for (const name of ['alice', 'bob', 'carol'] as const) expect(await work(name, 'accuracy', (c) => goldAnswers[name](items.indexOf(c)))).toBe(3);
  });
  afterAll(() => loupe?.close());

  it('reports gold accuracy with Wilson intervals, Dawid–Skene rates, kappa and the weakest cells, as by hand', async () => {
    const response = await analyst.get('/v1/analysis/accuracy');
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report.period).toBeNull();
    const row = (name: 'alice' | 'bob' | 'carol', policyId: string) => report.moderators.find((r: any) => r.moderatorId === ids[name] && r.policyId === policyId);

    // Gold: Alice 3 of 3, Bob and Carol 2 of 3 each.
    expect(row('alice', ED).gold).toMatchObject({ reviews: 3, correct: 3, accuracy: 1 });
    for (const name of ['bob', 'carol'] as const) {
      const gold = row(name, ED).gold;
      expect(gold).toMatchObject({ reviews: 3, correct: 2 });
      expect(gold.accuracy).toBeCloseTo(2 / 3, 10);
      expect(gold.interval.lower).toBeCloseTo(wilson(2, 3).lower, 10);
      expect(gold.interval.upper).toBeCloseTo(wilson(2, 3).upper, 10);
    }
    expect(row('alice', ED).gold.interval.lower).toBeCloseTo(wilson(3, 3).lower, 10);
    expect(row('alice', NUDITY).gold).toBeNull();

    // Dawid–Skene from the overlapping reviews: Carol lowest, her sensitivity poor.
    const estimated = (name: 'alice' | 'bob' | 'carol') => row(name, NUDITY).estimated;
    expect(estimated('carol').accuracy).toBeLessThan(estimated('bob').accuracy);
    expect(estimated('bob').accuracy).toBeLessThan(estimated('alice').accuracy);
    expect(estimated('carol').sensitivity).toBeLessThan(0.5);
    expect(estimated('carol').labels).toBe(8);
    expect(report.estimates.find((e: any) => e.policyId === NUDITY)).toMatchObject({ items: 8, labels: 24, moderators: 3, converged: true });
    // Against the best answer there is: Carol missed the three violations; Bob removed two items that do not violate.
    expect(row('carol', NUDITY).observed).toMatchObject({ decisions: 8, correct: 5 });
    expect(row('bob', NUDITY).observed).toMatchObject({ decisions: 8, correct: 6 });
    expect(row('alice', NUDITY).observed).toMatchObject({ decisions: 8, correct: 8 });
    // Every nudity judgement here was scored, so re-weighting to the whole mix changes nothing.
    expect(row('carol', NUDITY).weighted).toMatchObject({ judgements: 8, decisions: 8, pooledShare: 0 });
    expect(row('carol', NUDITY).weighted.accuracy).toBeCloseTo(5 / 8, 10);

    // Cohen's kappa, Alice and Bob: YYYNNNNN against YYYYYNNN agree on 6 of 8; chance .375·.625 + .625·.375.
    const pair = report.pairs.find((p: any) => p.policyId === NUDITY && [p.moderatorA, p.moderatorB].sort().join() === [ids.alice, ids.bob].sort().join());
    expect(pair.sharedItems).toBe(8);
    expect(pair.kappa).toBeCloseTo((0.75 - 0.46875) / (1 - 0.46875), 10);
    // Fleiss' kappa of the queue: P̄ = (5·⅓ + 3·1)/8 = 7/12, P̄e = (⅓)² + (⅔)² = 5/9, κ = 1/16.
    const queue = report.queues.find((q: any) => q.queueId === 'accuracy' && q.policyId === NUDITY);
    expect(queue).toMatchObject({ items: 8, ratings: 24 });
    expect(queue.kappa).toBeCloseTo(1 / 16, 10);

    // Where training would help: Carol's team on promotion (0 of 1), then on nudity (5 of 8), then the day team on recovery (3 of 4).
    expect(report.weakest.slice(0, 3).map((c: any) => [c.team, c.policyId, c.nuance, c.correct, c.decisions])).toEqual([
      ['night', ED, 'promotion', 0, 1],
      ['night', NUDITY, null, 5, 8],
      ['day', ED, 'recovery', 3, 4],
    ]);

    const night = (await analyst.get('/v1/analysis/accuracy?team=night')).body;
    expect(new Set(night.moderators.map((r: any) => r.moderatorId))).toEqual(new Set([ids.carol]));
    const today = new Date().toISOString().slice(0, 10);
    const ofToday = (await analyst.get(`/v1/analysis/accuracy?period=${today}&policy=${NUDITY}`)).body;
    expect(ofToday.period).toBe(today);
    expect(ofToday.moderators.every((r: any) => r.policyId === NUDITY)).toBe(true);
    expect((await analyst.get(`/v1/analysis/accuracy?period=2020-Q1`)).body.moderators).toEqual([]);

    const csv = await analyst.get('/v1/analysis/accuracy?format=csv&table=weakest');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const [header, first] = csv.text.trim().split('\n');
    expect(header.split(',').slice(0, 6)).toEqual(['team', 'policyId', 'nuance', 'decisions', 'correct', 'accuracy']);
    expect(first.startsWith(`night,${ED},promotion,1,0,0`)).toBe(true);

    const bad = await analyst.get('/v1/analysis/accuracy?period=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'analysis.invalid_period', details: { field: 'period' } });
    expect((await moderators.carol.get('/v1/analysis/accuracy')).status).toBe(403);
  });

  it("estimates each item's true label from the reviews alone", async () => {
    const response = await analyst.get(`/v1/analysis/accuracy/items?policy=${NUDITY}`);
    expect(response.status).toBe(200);
    const byContent = new Map(response.body.items.map((i: any) => [i.contentId, i]));
    for (const [index, id] of items.entries()) {
      expect(byContent.get(id)).toMatchObject({ policyId: NUDITY, violating: index < 3, reviewers: 3, previewUrl: `/v1/analysis/contents/${id}/preview` });
    }
  });

  it("makes Carol's training pack of exactly the items she got wrong, with the right answers", async () => {
    const created = await analyst.post('/v1/analysis/training-packs', { json: { moderatorId: ids.carol, policyId: NUDITY } });
    expect(created.status).toBe(201);
    const pack = created.body;
    packId = pack.id;
    expect(pack).toMatchObject({ moderatorId: ids.carol, team: null, policyId: NUDITY, itemCount: 3, deliveredAt: null, after: null, decisionsBefore: 8 });
    expect(pack.accuracyBefore).toBeCloseTo(5 / 8, 10);
    expect(pack.before).toMatchObject({ decisions: 8, correct: 5 });
    expect(pack.items.map((i: any) => i.contentId).sort()).toEqual(items.slice(0, 3).sort());
    for (const item of pack.items) {
      expect(item).toMatchObject({ given: false, correct: true, source: 'estimated', previewUrl: `/v1/analysis/contents/${item.contentId}/preview` });
      expect(item.reason).toMatch(/^Outvoted/);
    }

    // The day team on recovery: Bob's removal of the recovery post, answered by gold, the reason the nuance's title.
    const team = await analyst.post('/v1/analysis/training-packs', { json: { team: 'day', policyId: ED, nuance: 'recovery' } });
    expect(team.status).toBe(201);
    expect(team.body.items).toEqual([
      expect.objectContaining({ contentId: items[6], given: true, correct: false, nuance: 'recovery', source: 'gold', reason: expect.stringMatching(/recovery/i) }),
    ]);
    expect(team.body.before).toMatchObject({ decisions: 4, correct: 3 });

    const list = (await analyst.get(`/v1/analysis/training-packs?moderatorId=${ids.carol}`)).body;
    expect(list.map((p: any) => p.id)).toEqual([packId]);
    const csv = await analyst.get(`/v1/analysis/training-packs/${packId}?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('contentId,policyId,given,correct,nuance,source,reason,previewUrl');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(items.slice(0, 3).sort());

    const refusals: [unknown, number, string][] = [
      [{ policyId: NUDITY }, 400, 'analysis.pack_target_required'],
      [{ moderatorId: ids.carol, team: 'night', policyId: NUDITY }, 400, 'analysis.pack_target_required'],
      [{ moderatorId: randomUUID(), policyId: NUDITY }, 404, 'analysis.moderator_not_found'],
      [{ team: 'nobody', policyId: NUDITY }, 404, 'analysis.team_not_found'],
      [{ moderatorId: ids.carol, policyId: 'nope' }, 404, 'analysis.policy_not_found'],
      [{ moderatorId: ids.carol, policyId: ED, nuance: 'nope' }, 404, 'analysis.nuance_not_found'],
      [{ moderatorId: ids.alice, policyId: NUDITY }, 422, 'analysis.nothing_to_train'],
      [{ moderatorId: ids.carol, policyId: NUDITY, period: 'soon' }, 400, 'analysis.invalid_period'],
    ];
    for (const [json, status, code] of refusals) {
      const response = await analyst.post('/v1/analysis/training-packs', { json });
      expect([response.status, response.body.code]).toEqual([status, code]);
    }
    expect((await analyst.get(`/v1/analysis/training-packs/${randomUUID()}`)).status).toBe(404);
  });

  it('reports accuracy after the training beside accuracy before', async () => {
    const delivered = await analyst.post(`/v1/analysis/training-packs/${packId}/delivered`);
    expect(delivered.status).toBe(200);
    expect(delivered.body.deliveredAt).toEqual(expect.any(String));
    expect(delivered.body.after).toMatchObject({ decisions: 0, accuracy: null });
    const again = await analyst.post(`/v1/analysis/training-packs/${packId}/delivered`);
    expect([again.status, again.body.code]).toEqual([409, 'analysis.training_pack_delivered']);

    // Two violating items, reviewed by all three: Carol now gets them right.
    for (const name of ['alice', 'bob', 'carol'] as const) expect(await work(name, 'after-training', () => yes)).toBe(2);
    const pack = (await analyst.get(`/v1/analysis/training-packs/${packId}`)).body;
    expect(pack.before).toMatchObject({ decisions: 8, correct: 5 });
    expect(pack.after).toMatchObject({ decisions: 2, correct: 2, accuracy: 1 });
    expect(pack.change).toBeCloseTo(1 - 5 / 8, 10);
    expect(later).toHaveLength(2);
  });
});
