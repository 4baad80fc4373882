import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { ApiClient, claim, contentForm, decide, makeImage, moveContentTo, notViolating, startTestApp, StoreKind, TestApp, violating, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

const DAY = 86_400_000;
const PERIOD = (() => {
  const now = new Date();
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
})();

/**
 * The missed-violations report reads an incremental rollup (migration 0017):
 * the violations of items that triggers mark dirty, and acting scores binned
 * per closed day. These tests change history after a report has folded it
 * in, and check that the next report says what a report computed from
 * scratch would: a late removal, views that arrive after the removal they
 * precede, an overturned removal, and what-if counts over closed days (the
 * bins) equal to those counted from the scores themselves (a region filter
 * reads the scores).
 */
describe.each<StoreKind>(['embedded', 'real'])('the missed-violations rollup on %s stores', (stores) => {
  let loupe: TestApp;
  let db: DatabaseConnection;
  let service: ApiClient;
  let analyst: ApiClient;
  let bob: ApiClient;
  let alice: ApiClient;
  const ids: string[] = [];
  const scores: number[] = [];
  let back = 0;
  const report = async (query = '') => {
    const response = await analyst.get(`/v1/analysis/misses?period=${PERIOD}${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const mine = (body: { items: Array<{ contentId: string } & Record<string, unknown>> }) => body.items.filter((m) => ids.includes(m.contentId));

  /** An ordinary upload the model allows, moved with its routing and scores to `back` ago: a day that has ended. */
  const uploadDaysAgo = async (seed: number) => {
    const response = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed }), { region: 'NO' }) });
    expect(response.status).toBe(202);
    const content = await waitFor(async () => (await service.get(`/v1/contents/${response.body.id}`)).body, (c) => c.status === 'allowed', `content ${response.body.id}`);
    ids.push(content.id);
    scores.push((content.scores as { acted: boolean; policyScores: Record<string, number> }[]).find((s) => s.acted)!.policyScores.adult_nudity);
    await moveContentTo(db, content.id, new Date(Date.now() - back));
    await db.rows(sql`update model_scores s set created_at = c.created_at from contents c where c.id = s.content_id and s.content_id = ${content.id}::uuid`);
  };

  beforeAll(async () => {
    // No background sweep: the reports below are what runs the rollup, so each step is folded in when the test says.
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', VIRALITY_TIERS: '1000000000:rescore', RECOVERY_SWEEP_SECONDS: '3600' });
    db = loupe.get(DatabaseConnection);
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    bob = await loupe.client('moderator', 'bob');
    alice = await loupe.client('moderator', 'alice');
    const engineer = await loupe.client('ml_engineer');
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.85, remove: 0.95 } })).status).toBe(200);

    // Three days back, inside the quarter (on a quarter's first days, less far).
    const now = Date.now();
    const quarterStart = Date.parse(`${PERIOD.slice(0, 4)}-${String((Number(PERIOD.slice(-1)) - 1) * 3 + 1).padStart(2, '0')}-01T00:00:00Z`);
    back = Math.min(3 * DAY, Math.max(0, now - quarterStart - DAY));
    for (const seed of [8101, 8102, 8103]) await uploadDaysAgo(seed);
  });
  afterAll(() => loupe?.close());

  it('folds in a removal made after a report, then views that arrive late, then an overturn', async () => {
    expect(mine(await report())).toEqual([]);

    // A user reports the first item and bob removes it: a miss of the model, today.
    expect((await service.post(`/v1/contents/${ids[0]}/reports`, { json: { policyId: 'adult_nudity', reason: 'seen by a user' } })).status).toBe(201);
    await decide(bob, (await claim(bob))!.id, violating('adult_nudity'));
    const removed = (await service.get(`/v1/contents/${ids[0]}`)).body;
    expect(removed.status).toBe('removed');
    let items = mine(await report());
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ contentId: ids[0], cause: 'blind_spot', viewsBeforeRemoval: 0, allowed: { by: 'model' } });

    // The platform's count from before the removal arrives after it (and after the report that folded the removal in).
    const before = new Date(new Date(removed.decision.decidedAt).getTime() - 60_000).toISOString();
    const views = await service.post('/v1/views', { json: { events: [{ contentId: ids[0], views: 70, observedAt: before }] } });
    expect(views.status).toBe(200);
    expect(views.body.applied).toBe(1);
    items = mine(await report());
    expect(items[0].viewsBeforeRemoval).toBe(70);

    // The creator appeals and alice overturns the removal: no violation any more.
    expect((await service.post(`/v1/contents/${ids[0]}/appeals`, { json: { statement: 'it is a painting' } })).status).toBe(201);
    await decide(alice, (await claim(alice, 'appeals'))!.id, notViolating());
    expect((await service.get(`/v1/contents/${ids[0]}`)).body.status).toBe('allowed');
    const body = await report();
    expect(mine(body)).toEqual([]);
    expect(body.rates.find((r: { dimension: string; value: string }) => r.dimension === 'region' && r.value === 'NO')).toBeUndefined();
  });

  it('counts what-if reviews over closed days from the bins as the scores themselves count them', async () => {
    // A fourth item moved into a day the reports above binned already: the day is binned again.
    await uploadDaysAgo(8104);
    // A second miss, so adult_nudity has a what-if.
    expect((await service.post(`/v1/contents/${ids[1]}/reports`, { json: { policyId: 'adult_nudity', reason: 'seen' } })).status).toBe(201);
    await decide(bob, (await claim(bob))!.id, violating('adult_nudity'));
    const whole = (await report()).whatIf.find((w: { policyId: string }) => w.policyId === 'adult_nudity');
    // Only the items of this file are in region NO: that filter reads the scores, not the bins.
    const region = (await report('&region=NO')).whatIf.find((w: { policyId: string }) => w.policyId === 'adult_nudity');
    expect(whole.candidates.length).toBeGreaterThan(0);
    for (const candidate of region.candidates) {
      const expected = scores.filter((s) => s >= candidate.reviewThreshold && s < 0.85).length;
      expect(candidate.extraReviews).toBe(expected);
      // Unfiltered, the quarter holds this file's items and nothing else scored.
      expect(whole.candidates.find((c: { reviewThreshold: number }) => c.reviewThreshold === candidate.reviewThreshold).extraReviews).toBe(expected);
    }
    // The closed days were binned: the scores moved back are in the bins.
    const bins = await db.rows<{ bin: number; scores: number }>(sql`select bin, scores from score_day_bins where policy_id = 'adult_nudity' order by bin`);
    const expected = new Map<number, number>();
    for (const s of scores) expected.set(Math.floor(s * 100), (expected.get(Math.floor(s * 100)) ?? 0) + 1);
    const asBinned = [...expected].sort((a, b) => a[0] - b[0]).map(([bin, n]) => ({ bin, scores: n }));
    expect(bins.map((b) => ({ bin: Number(b.bin), scores: Number(b.scores) }))).toEqual(back >= DAY ? asBinned : []);
  });
});
