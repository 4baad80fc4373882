import {
  ApiClient,
  claim,
  decide,
  exportLabels,
  isolatedQueue,
  moderatorIdOf,
  notViolating,
  reviewEverything,
  startTestApp,
  StoreKind,
  TestApp,
  uploadSettled,
  violating,
} from '@loupe/testing';

jest.setTimeout(240_000);

/**
 * The queue moderators work from: routing by rules that are data, priority
 * by expected harm, reports that merge, skip, escalation to senior review,
 * blind consensus and gold checks. Each test routes its items to a queue of
 * its own by region, so tests do not take each other's tasks.
 */
describe.each<StoreKind>(['embedded', 'real'])('the review queue on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient;

  beforeAll(async () => {
    // Exactly 0.5 is the only uncertain score here: consensus comes from policies and rules in these tests.
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    alice = await loupe.client('moderator', 'alice');
    bob = await loupe.client('moderator', 'bob');
    carol = await loupe.client('moderator', 'carol');
    await reviewEverything(loupe);
  });
  afterAll(() => loupe?.close());

  it('routes by rules that are data, else by queue keys, shows the queue SLA on the task, and audits every change', async () => {
    const { ruleId } = await isolatedQueue(loupe, 'nudity-de', 'DE', { slaMinutes: 30 });
    const item = await uploadSettled(service, 101, { region: 'DE', language: 'de' });
    expect(item.status).toBe('in_review');

    expect(await claim(alice, 'default')).toBeNull();
    const task = await claim(alice, 'nudity-de');
    expect(task).toMatchObject({ queue: 'nudity-de', source: 'model', severity: 'high', policyIds: ['adult_nudity'], content: { id: item.id, region: 'DE' } });
    const sla = new Date(task.slaDeadline).getTime() - new Date(task.createdAt).getTime();
    expect(sla).toBeGreaterThan(29 * 60_000);
    expect(sla).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    await decide(alice, task.id, notViolating());

    // A disabled rule no longer routes.
    expect((await loupe.admin.request('PATCH', `/v1/review/routing-rules/${ruleId}`, { json: { enabled: false } })).status).toBe(200);
    await uploadSettled(service, 102, { region: 'DE', language: 'de' });
    expect(await claim(alice, 'nudity-de')).toBeNull();
    const fallback = await claim(alice, 'default');
    expect(fallback.content.region).toBe('DE');
    await decide(alice, fallback.id, notViolating());

    const queues = (await analyst.get('/v1/review/queues')).body;
    expect(queues.find((q: { id: string }) => q.id === 'nudity-de')).toMatchObject({ slaMinutes: 30, counts: { open: 0, leased: 0 } });

    // Bad queue and rule changes are refused with a code, and nothing is written.
    const unknownQueue = await loupe.admin.post('/v1/review/routing-rules', { json: { name: 'x', position: 0, conditions: {}, queueId: 'nope' } });
    expect(unknownQueue.status).toBe(400);
    expect(unknownQueue.body.code).toBe('review.queue_not_found');
    expect((await loupe.admin.put('/v1/review/queues/Bad%20Slug', { json: { name: 'x' } })).status).toBe(400);
    expect((await loupe.admin.put('/v1/review/queues/too-much-gold', { json: { name: 'x', goldRate: 2 } })).status).toBe(400);
    expect((await loupe.admin.request('PATCH', `/v1/review/routing-rules/${ruleId}`, { json: { conditions: { severities: ['dire'] } } })).status).toBe(400);
    expect((await analyst.get('/v1/review/queues')).body.map((q: { id: string }) => q.id)).not.toContain('too-much-gold');

    // Without a rule, a case goes to the queue keyed most specifically to its policy, language and region.
    const keyed = { name: 'Nudity, Austria', policyIds: ['adult_nudity'], regions: ['AT'] };
    expect((await loupe.admin.put('/v1/review/queues/nudity-at', { json: keyed })).status).toBe(200);
    const austrian = await uploadSettled(service, 103, { region: 'AT', language: 'de' });
    const keyedTask = await claim(alice, 'nudity-at');
    expect(keyedTask.content.id).toBe(austrian.id);
    await decide(alice, keyedTask.id, notViolating());
    const audit = (await analyst.get(`/v1/audit?entityId=${ruleId}`)).body;
    expect(audit.map((e: { action: string }) => e.action).sort()).toEqual(['routing_rule.create', 'routing_rule.update']);
    expect(audit.every((e: { actorRole: string }) => e.actorRole === 'admin')).toBe(true);
    expect((await analyst.get('/v1/audit?entityId=nudity-de')).body[0]).toMatchObject({ action: 'review.queue.create' });
  });

  it('hands out the most harmful item first: reports merge into one case and raise its priority', async () => {
    await isolatedQueue(loupe, 'fr', 'FR');
    const quiet = await uploadSettled(service, 111, { region: 'FR' });
    const reported = await uploadSettled(service, 112, { region: 'FR' });
    const first = await service.post(`/v1/contents/${reported.id}/reports`, { json: { policyId: 'harassment', reason: 'names a classmate' } });
    const second = await service.post(`/v1/contents/${reported.id}/reports`, { json: { policyId: 'harassment', reason: 'again' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ merged: true, caseId: expect.any(String) });
    expect(second.body.caseId).toBe(first.body.caseId);

    const top = await claim(alice, 'fr');
    expect(top.content.id).toBe(reported.id);
    expect(top.reportsCount).toBe(2);
    expect(top.policyIds.sort()).toEqual(['adult_nudity', 'harassment']);
    const next = await claim(bob, 'fr');
    expect(next.content.id).toBe(quiet.id);
    expect(top.priority).toBeGreaterThan(next.priority);
    expect(await claim(carol, 'fr')).toBeNull();
    await decide(alice, top.id, [...notViolating(), ...notViolating('harassment')]);
    await decide(bob, next.id, notViolating());

    // A report on allowed content opens a case of its own; an unknown policy is refused.
    const reopened = await service.post(`/v1/contents/${quiet.id}/reports`, { json: { policyId: 'spam', reason: 'link farm' } });
    expect(reopened.body).toMatchObject({ merged: false, caseId: expect.any(String) });
    const reportTask = await claim(carol, 'fr');
    expect(reportTask).toMatchObject({ source: 'report', severity: 'low', policyIds: ['spam'], reportsCount: 1 });
    await decide(carol, reportTask.id, notViolating('spam'));
    const unknown = await service.post(`/v1/contents/${quiet.id}/reports`, { json: { policyId: 'nope', reason: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('report.unknown_policy');
  });

  it('skips back to the queue but never to the same moderator; escalation goes to seniors only', async () => {
    await isolatedQueue(loupe, 'it', 'IT');
    const item = await uploadSettled(service, 121, { region: 'IT', language: 'it' });
    const task = await claim(alice, 'it');
    const blank = await alice.post(`/v1/review/tasks/${task.id}/skip`, { json: { reason: ' ' } });
    expect(blank.status).toBe(400);
    expect((await alice.post(`/v1/review/tasks/${task.id}/skip`, { json: { reason: 'not my language' } })).status).toBe(204);
    expect(await claim(alice, 'it')).toBeNull();
    const again = await claim(bob, 'it');
    expect(again.id).toBe(task.id);

    expect((await bob.post(`/v1/review/tasks/${task.id}/escalate`, { json: { reason: 'looks like a minor' } })).status).toBe(204);
    const refused = await bob.get('/v1/review/next?queue=senior');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('review.senior_only');
    expect(await claim(bob)).toBeNull();

    const carolId = await moderatorIdOf(loupe, 'carol');
    expect((await loupe.admin.request('PATCH', `/v1/moderators/${carolId}`, { json: { senior: true } })).status).toBe(200);
    const senior = await claim(carol, 'senior');
    expect(senior).toMatchObject({ queue: 'senior', content: { id: item.id } });
    await decide(carol, senior.id, violating());
    expect((await service.get(`/v1/contents/${item.id}`)).body.status).toBe('removed');

    const actions = (await analyst.get(`/v1/audit?entityId=${task.id}`)).body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['review.claim', 'review.skip', 'review.escalate']));
    const [label] = (await exportLabels(analyst, 'provenance=senior')).filter((l) => l.content_id === item.id);
    expect(label).toMatchObject({ provenance: 'senior', outcome: 'removed', labeller_id: carolId });
  });

  it('needs N blind reviews where the policy requires consensus, and a senior when they disagree', async () => {
    await isolatedQueue(loupe, 'jp', 'JP', { consensusReviews: 3 });
    const dave = await loupe.client('moderator', 'dave');
    const agreed = await uploadSettled(service, 131, { region: 'JP' });
    const split = await uploadSettled(service, 132, { region: 'JP' });
    // Settle the model's cases first, so the reports open cases of their own.
    for (const moderator of [alice, bob]) await decide(moderator, (await claim(moderator, 'jp')).id, notViolating());

    for (const item of [agreed, split]) {
      const report = await service.post(`/v1/contents/${item.id}/reports`, { json: { policyId: 'minor_safety', reason: 'looks under 13' } });
      expect(report.body.merged).toBe(false);
    }
    // Three moderators each hold one review of each case, never two of the same case.
    const held = new Map<ApiClient, any[]>();
    for (const moderator of [alice, bob, dave]) {
      const tasks = [await claim(moderator, 'jp'), await claim(moderator, 'jp')];
      expect(new Set(tasks.map((t) => t.content.id))).toEqual(new Set([agreed.id, split.id]));
      expect(tasks.every((t) => t.source === 'report' && t.severity === 'critical')).toBe(true);
      held.set(moderator, tasks);
    }
    expect(await claim(carol, 'jp')).toBeNull();
    const taskOf = (moderator: ApiClient, id: string) => held.get(moderator)!.find((t) => t.content.id === id);

    for (const moderator of [alice, bob]) {
      await decide(moderator, taskOf(moderator, agreed.id).id, notViolating('minor_safety'));
      await decide(moderator, taskOf(moderator, split.id).id, notViolating('minor_safety'));
    }
    // Two of three said no: nothing is settled until the third review is in.
    expect(await claim(carol, 'senior')).toBeNull();
    await decide(dave, taskOf(dave, agreed.id).id, notViolating('minor_safety'));
    await decide(dave, taskOf(dave, split.id).id, violating('minor_safety'));

    const seniorTask = await claim(carol, 'senior');
    expect(seniorTask.content.id).toBe(split.id);
    await decide(carol, seniorTask.id, violating('minor_safety'));
    expect((await service.get(`/v1/contents/${split.id}`)).body.status).toBe('removed');
    expect((await service.get(`/v1/contents/${agreed.id}`)).body.status).toBe('allowed');

    const labels = await exportLabels(analyst, 'policyId=minor_safety');
    const consensus = labels.find((l) => l.content_id === agreed.id);
    expect(consensus).toMatchObject({ provenance: 'consensus', agreement: 1, outcome: 'allowed' });
    expect(consensus.moderator_ids).toHaveLength(3);
    const senior = labels.find((l) => l.content_id === split.id);
    expect(senior).toMatchObject({ provenance: 'senior', outcome: 'removed' });
    expect(senior.agreement).toBeCloseTo(1 / 3, 6);
    expect(senior.moderator_ids).toHaveLength(4);
  });

  it('injects gold items looking like any other task, and scores the answers', async () => {
    await isolatedQueue(loupe, 'nz', 'NZ');
    const eve = await loupe.client('moderator', 'eve');
    const known = await uploadSettled(service, 141, { region: 'NZ' });
    // The item's own review settles first; its known answer is that it violates.
    await decide(eve, (await claim(eve, 'nz')).id, violating());
    const gold = await loupe.admin.post('/v1/review/gold', { json: { contentId: known.id, labels: violating() } });
    expect(gold.status).toBe(201);
    expect((await loupe.admin.put('/v1/review/queues/nz', { json: { name: 'nz', regions: ['NZ'], goldRate: 1 } })).status).toBe(200);
    const real = await uploadSettled(service, 142, { region: 'NZ' });

    const goldTask = await claim(eve, 'nz');
    expect(goldTask.content.id).toBe(known.id);
    expect(goldTask).toMatchObject({ source: 'model', queue: 'nz', reportsCount: 0 });
    expect(goldTask.priority).toBeGreaterThan(0);
    await decide(eve, goldTask.id, notViolating());
    // A gold answer changes nothing about the item itself.
    expect((await service.get(`/v1/contents/${known.id}`)).body.status).toBe('removed');

    // Each gold item is shown to a moderator once: the next claim is real work.
    const work = await claim(eve, 'nz');
    expect(work.content.id).toBe(real.id);
    await decide(eve, work.id, notViolating());

    const eveId = await moderatorIdOf(loupe, 'eve');
    expect((await analyst.get(`/v1/moderators/${eveId}/gold`)).body).toMatchObject({ answered: 1, correct: 0, passing: false });
    const items = (await analyst.get('/v1/review/gold')).body;
    expect(items.find((g: { id: string }) => g.id === gold.body.id)).toMatchObject({ answered: 1, correct: 0 });
    const label = (await exportLabels(analyst)).find((l) => l.content_id === real.id);
    expect(label).toMatchObject({ provenance: 'single_review', labeller_passing_gold: false, labeller_id: eveId });
    expect((await exportLabels(analyst, 'provenance=gold')).map((l) => l.content_id)).toContain(known.id);
  });
});
