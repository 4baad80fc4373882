import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { WebhookOutboxSweeper } from '@loupe/domain/webhooks';
import { ApiClient, claim, decide, notViolating, reviewEverything, startTestApp, StoreKind, TestApp, uploadSettled, violating, waitFor } from '@loupe/testing';
import { WebhookReceiver } from './utils/webhook-receiver';

jest.setTimeout(240_000);

const ALL_EVENTS = ['content.decided', 'content.removed', 'content.reinstated', 'content.sent_to_review', 'appeal.decided', 'review.sla_breached'];

async function deliveries(admin: ApiClient, subscriptionId: string, status?: string): Promise<any[]> {
  const response = await admin.get(`/v1/webhooks/${subscriptionId}/deliveries${status ? `?status=${status}` : ''}`);
  if (response.status !== 200) throw new Error(`deliveries: ${response.status} ${response.text}`);
  return response.body;
}

/**
 * Outgoing webhooks against a real receiver on 127.0.0.1: signed, at least
 * once through outages, exactly once after de-duplication by event id, and
 * the dead-letter list with its replay.
 */
describe.each<StoreKind>(['real', 'embedded'])('webhooks on %s stores', (stores) => {
  let loupe: TestApp;
  let receiver: WebhookReceiver;
  let base: string;
  let service: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    receiver = new WebhookReceiver({ slowMs: 500, lateMs: 1500 });
    base = await receiver.start();
    loupe = await startTestApp(stores, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // A late answer (1.5 s) times out; 8 tries 80 ms doubling are spent in about 10 s.
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_MAX_ATTEMPTS: '8',
      WEBHOOK_RETRY_BASE_MS: '80',
      WEBHOOK_SWEEP_SECONDS: '1',
      CONSENSUS_UNCERTAINTY: '0',
    });
    service = await loupe.client('service');
    alice = await loupe.client('moderator', 'alice');
    bob = await loupe.client('moderator', 'bob');
    await reviewEverything(loupe);
  });
  afterAll(async () => {
    await loupe?.close();
    await receiver?.stop();
  });

  it('delivers every event of a removal and its overturn, signed, through an outage, exactly once after de-duplication', async () => {
    const created = await loupe.admin.post('/v1/webhooks', { json: { url: `${base}/all`, events: ALL_EVENTS, description: 'everything' } });
    expect(created.status).toBe(201);
    const { id, secret } = created.body;
    expect(secret).toMatch(/^whsec_/);
    // Each event: first 503, then an answer too late (the receiver has it, Loupe retries), then 200 to the copy.
    receiver.on('/all', secret, (_event, sightings) => (sightings === 0 ? 503 : sightings === 1 ? 'late' : 'ok'));

    // The receiver is down (connections refused) while the item is ingested and routed to review.
    await receiver.stop();
    const item = await uploadSettled(service, 801);
    expect(item.status).toBe('in_review');
    await waitFor(
      () => deliveries(loupe.admin, id),
      (list) => list.length === 2 && list.every((d) => d.attempts >= 1 && /ECONNREFUSED/.test(d.lastError ?? '')),
      'failed attempts while the receiver is down',
    );
    expect(receiver.received).toHaveLength(0);
    await receiver.start(receiver.port);

    // A moderator removes it; an appeal overturns the removal (another moderator reviews it).
    await decide(alice, (await claim(alice)).id, violating());
    const appeal = await service.post(`/v1/contents/${item.id}/appeals`, { json: { statement: 'a museum piece' } });
    expect(appeal.status).toBe(201);
    await decide(bob, (await claim(bob, 'appeals')).id, notViolating());
    expect((await service.get(`/v1/contents/${item.id}`)).body.status).toBe('allowed');

    const settled = await waitFor(
      () => deliveries(loupe.admin, id),
      (list) => list.length === 7 && list.every((d) => d.status === 'delivered'),
      'every delivery to be delivered',
    );
    const unique = receiver.unique('/all');
    expect(unique.map((d) => d.event.type).sort()).toEqual(
      ['appeal.decided', 'content.decided', 'content.decided', 'content.decided', 'content.reinstated', 'content.removed', 'content.sent_to_review'].sort(),
    );
    // At least once: every event arrived more than once, as the late answers forced; all signed and consistent.
    const all = receiver.received.filter((d) => d.path === '/all');
    expect(all.length).toBeGreaterThanOrEqual(3 * 7);
    for (const delivery of all) {
      expect(delivery.signatureValid).toBe(true);
      expect(delivery.event.id).toBe(delivery.eventId);
    }
    for (const { eventId } of unique) expect(all.filter((d) => d.eventId === eventId && d.answer === 'ok').length).toBeGreaterThanOrEqual(1);
    expect(settled.map((d) => d.eventId).sort()).toEqual(unique.map((d) => d.eventId).sort());
    expect(settled.every((d) => d.attempts >= 3 && d.lastStatusCode === 200 && d.deliveredAt)).toBe(true);

    const byType = Object.fromEntries(unique.map((d) => [d.event.type, d.event]));
    expect(byType['content.removed'].data).toMatchObject({ contentId: item.id, outcome: 'removed', source: 'human', policyIds: ['adult_nudity'] });
    expect(byType['content.sent_to_review'].data).toMatchObject({ contentId: item.id, outcome: 'in_review', source: 'model' });
    expect(byType['content.reinstated'].data).toMatchObject({ contentId: item.id, outcome: 'allowed', appealId: appeal.body.id, overturnsDecisionId: byType['content.removed'].data.decisionId });
    expect(byType['appeal.decided'].data).toMatchObject({ appealId: appeal.body.id, contentId: item.id, outcome: 'overturned', appealedDecisionId: byType['content.removed'].data.decisionId });

    // Deleting the subscription stops everything; later events reach nobody.
    expect((await loupe.admin.delete(`/v1/webhooks/${id}`)).status).toBe(204);
    expect((await loupe.admin.get(`/v1/webhooks/${id}`)).body.code).toBe('webhook.not_found');
  });

  it('lists deliveries that keep failing as dead, and replays one', async () => {
    let accept = false;
    const created = await loupe.admin.post('/v1/webhooks', {
      json: { url: `${base}/dead`, events: ['content.sent_to_review'], secret: 'a-secret-we-chose-ourselves' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe('a-secret-we-chose-ourselves');
    const id = created.body.id;
    receiver.on('/dead', 'a-secret-we-chose-ourselves', () => (accept ? 'slow' : 500));

    const item = await uploadSettled(service, 802);
    expect(item.status).toBe('in_review');
    const [dead] = await waitFor(() => deliveries(loupe.admin, id, 'dead'), (list) => list.length === 1, 'the delivery to die');
    expect(dead).toMatchObject({ eventType: 'content.sent_to_review', status: 'dead', attempts: 8, round: 0, lastStatusCode: 500, lastError: 'HTTP 500' });
    expect(dead.event).toMatchObject({ id: dead.eventId, type: 'content.sent_to_review', data: { contentId: item.id } });
    expect(receiver.received.filter((d) => d.path === '/dead')).toHaveLength(8);
    expect(await deliveries(loupe.admin, id, 'pending')).toEqual([]);

    const unknown = await loupe.admin.post(`/v1/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/replay`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('webhook.delivery_not_found');

    // The receiver is fixed; it answers within the timeout, but slowly, so the replay is seen in flight.
    accept = true;
    const replayed = await loupe.admin.post(`/v1/webhooks/${id}/deliveries/${dead.id}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ id: dead.id, eventId: dead.eventId, status: 'pending', round: 1, attempts: 0 });
    const again = await loupe.admin.post(`/v1/webhooks/${id}/deliveries/${dead.id}/replay`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('webhook.delivery_pending');
    await waitFor(() => deliveries(loupe.admin, id, 'delivered'), (list) => list.length === 1, 'the replay to be delivered', 30_000).catch(async (error) => {
      throw new Error(`${(error as Error).message}; all: ${JSON.stringify(await deliveries(loupe.admin, id))}`);
    });
    const replays = receiver.received.filter((d) => d.path === '/dead' && d.answer === 'slow');
    expect(replays.length).toBeGreaterThanOrEqual(1);
    expect(replays.every((d) => d.eventId === dead.eventId && d.signatureValid)).toBe(true);

    const audit = (await loupe.admin.get(`/v1/audit?action=webhook.delivery.replay&entityId=${dead.id}`)).body;
    expect(audit).toHaveLength(1);
    expect(audit[0].data).toMatchObject({ subscriptionId: id, eventId: dead.eventId, round: 1 });
  });

  it('sends an event whose job was never queued (a crash between commit and enqueue): the sweep picks it up; a disabled subscription gets nothing', async () => {
    const created = await loupe.admin.post('/v1/webhooks', { json: { url: `${base}/outbox`, events: ['review.sla_breached'] } });
    const { id, secret } = created.body;
    receiver.on('/outbox', secret, () => 'ok');
    // What a committed transaction leaves when the process dies before queueing: the outbox rows only.
    const eventId = '6f1d3c1e-0000-4000-8000-00000000e001';
    const body = JSON.stringify({ id: eventId, type: 'review.sla_breached', createdAt: new Date().toISOString(), data: { caseId: 'c1' } });
    const db = loupe.get(DatabaseConnection);
    await db.rows(sql`insert into webhook_events (id, type, body) values (${eventId}, 'review.sla_breached', ${body})`);
    await db.rows(sql`insert into webhook_deliveries (subscription_id, event_id, event_type) values (${id}, ${eventId}, 'review.sla_breached')`);

    await waitFor(() => deliveries(loupe.admin, id, 'delivered'), (list) => list.length === 1, 'the sweep to deliver the orphaned event');
    const got = receiver.unique('/outbox');
    expect(got.map((d) => [d.eventId, d.body, d.signatureValid])).toEqual([[eventId, body, true]]);

    // Disabled, the subscription gets nothing: a pending delivery goes straight to the dead letters,
    // and is replayed once the subscription is enabled again.
    expect((await loupe.admin.request('PATCH', `/v1/webhooks/${id}`, { json: { enabled: false } })).body.enabled).toBe(false);
    const heldId = '6f1d3c1e-0000-4000-8000-00000000e002';
    const held = body.replace(eventId, heldId);
    await db.rows(sql`insert into webhook_events (id, type, body) values (${heldId}, 'review.sla_breached', ${held})`);
    await db.rows(sql`insert into webhook_deliveries (subscription_id, event_id, event_type) values (${id}, ${heldId}, 'review.sla_breached')`);
    const [dead] = await waitFor(() => deliveries(loupe.admin, id, 'dead'), (list) => list.length === 1, 'the held delivery to die');
    expect(dead).toMatchObject({ eventId: heldId, attempts: 0, lastError: expect.stringContaining('disabled') });
    expect(receiver.unique('/outbox')).toHaveLength(1);
    await loupe.admin.request('PATCH', `/v1/webhooks/${id}`, { json: { enabled: true } });
    expect((await loupe.admin.post(`/v1/webhooks/${id}/deliveries/${dead.id}/replay`)).status).toBe(202);
    await waitFor(() => deliveries(loupe.admin, id, 'delivered'), (list) => list.length === 2, 'the replay after enabling');
    expect(receiver.unique('/outbox').map((d) => d.eventId)).toEqual([eventId, heldId]);

    // Past WEBHOOK_RETENTION_DAYS an event delivered everywhere is deleted by the sweep; one still
    // owed to a subscriber (pending or dead) stays, since a retry or replay needs its exact body.
    const oldDead = '6f1d3c1e-0000-4000-8000-00000000e003';
    await db.rows(sql`insert into webhook_events (id, type, body) values (${oldDead}, 'review.sla_breached', ${body.replace(eventId, oldDead)})`);
    await db.rows(sql`insert into webhook_deliveries (subscription_id, event_id, event_type, status) values (${id}, ${oldDead}, 'review.sla_breached', 'dead')`);
    await db.rows(sql`update webhook_events set created_at = now() - interval '40 days' where id in (${eventId}, ${heldId}, ${oldDead})`);
    await loupe.get(WebhookOutboxSweeper).sweep();
    const left = await db.rows<{ id: string }>(sql`select id from webhook_events where id in (${eventId}, ${heldId}, ${oldDead})`);
    expect(left.map((r) => r.id)).toEqual([oldDead]);
  });
});

/** The default: no allowance for private targets, at creation and at delivery. */
describe('webhook targets without WEBHOOK_ALLOW_PRIVATE', () => {
  let loupe: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    loupe = await startTestApp('embedded', { WEBHOOK_MAX_ATTEMPTS: '1' });
  });
  afterAll(async () => {
    await loupe?.close();
    await receiver?.stop();
  });

  it.each([
    ['http://127.0.0.1:8080/hook', 'webhook.target_not_public'],
    ['http://localhost/hook', 'webhook.target_not_public'],
    ['http://10.20.30.40/hook', 'webhook.target_not_public'],
    ['http://192.168.0.10/hook', 'webhook.target_not_public'],
    ['http://169.254.169.254/latest/meta-data/', 'webhook.target_not_public'],
    ['http://[::1]:3000/hook', 'webhook.target_not_public'],
    ['http://[fd00::1]/hook', 'webhook.target_not_public'],
    ['ftp://93.184.215.14/hook', 'webhook.invalid_url'],
    ['not a url', 'webhook.invalid_url'],
  ])('refuses %s with %s', async (url, code) => {
    const response = await loupe.admin.post('/v1/webhooks', { json: { url, events: ['content.removed'] } });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(code);
  });

  it('validates the events and refuses unknown fields', async () => {
    const url = 'https://93.184.215.14/hook';
    for (const events of [[], ['content.exploded'], 'content.removed']) {
      const response = await loupe.admin.post('/v1/webhooks', { json: { url, events } });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('request.invalid');
    }
    const extra = await loupe.admin.post('/v1/webhooks', { json: { url, events: ['content.removed'], retries: 3 } });
    expect(extra.body.code).toBe('request.unknown_field');
  });

  it('creates, reads, changes and deletes a subscription, audited, showing the secret only once', async () => {
    const created = await loupe.admin.post('/v1/webhooks', { json: { url: 'https://93.184.215.14/hook', events: ['content.removed', 'content.removed'] } });
    expect(created.status).toBe(201);
    const { id, secret } = created.body;
    expect(created.body).toMatchObject({ events: ['content.removed'], enabled: true, secretPrefix: secret.slice(0, 10) });
    const read = await loupe.admin.get(`/v1/webhooks/${id}`);
    expect(read.body).toMatchObject({ id, url: 'https://93.184.215.14/hook', secretPrefix: secret.slice(0, 10) });
    expect(read.text).not.toContain(secret);
    expect((await loupe.admin.get('/v1/webhooks')).text).not.toContain(secret);

    const privateUrl = await loupe.admin.request('PATCH', `/v1/webhooks/${id}`, { json: { url: 'http://10.0.0.5/hook' } });
    expect(privateUrl.status).toBe(400);
    expect(privateUrl.body.code).toBe('webhook.target_not_public');
    const changed = await loupe.admin.request('PATCH', `/v1/webhooks/${id}`, { json: { events: ['content.decided'], enabled: false, secret: 'rotated-secret-0123456789' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ events: ['content.decided'], enabled: false, secretPrefix: 'rotated-se' });

    expect((await loupe.admin.delete(`/v1/webhooks/${id}`)).status).toBe(204);
    expect((await loupe.admin.delete(`/v1/webhooks/${id}`)).status).toBe(404);
    const audit = (await loupe.admin.get(`/v1/audit?entityType=webhook&entityId=${id}`)).body;
    expect(audit.map((e: { action: string }) => e.action).sort()).toEqual(['webhook.create', 'webhook.delete', 'webhook.update']);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain('rotated-secret-0123456789');
  });

  it('checks the address again at delivery time: a target that now resolves to loopback gets nothing', async () => {
    const created = await loupe.admin.post('/v1/webhooks', { json: { url: 'https://93.184.215.14/hook', events: ['content.decided'] } });
    const { id, secret } = created.body;
    receiver.on('/rebound', secret, () => 'ok');
    // As if the name behind the URL now pointed at us (DNS changed): only the stored URL moves.
    await loupe.get(DatabaseConnection).rows(sql`update webhook_subscriptions set url = ${`http://127.0.0.1:${receiver.port}/rebound`} where id = ${id}`);
    const service = await loupe.client('service');
    await uploadSettled(service, 803);
    const [dead] = await waitFor(() => deliveries(loupe.admin, id, 'dead'), (list) => list.length === 1, 'the refused delivery');
    expect(dead).toMatchObject({ eventType: 'content.decided', attempts: 1, lastStatusCode: null });
    expect(dead.lastError).toMatch(/^webhook\.target_not_public: 127\.0\.0\.1/);
    expect(receiver.received).toHaveLength(0);
  });
});
