import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { SlaMonitorService } from '@loupe/domain/review';
import { WebhookReceiver } from './utils/webhook-receiver';
import { ApiClient, claim, isolatedQueue, startTestApp, StoreKind, TestApp, uploadSettled, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

/**
 * A claim leases exactly one task, whatever plan the database picks. With
 * statistics that say review_tasks is empty (normal right after a burst of
 * reports, before autovacuum analyses the table), PostgreSQL once planned the
 * claim's `id IN (subquery … LIMIT 1)` as a nested-loop semi join that re-ran
 * the subquery per row, and one claim leased every open task.
 */
describe.each<StoreKind>(['real', 'embedded'])('claiming on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;

  beforeAll(async () => {
    loupe = await startTestApp(stores, { SLA_SWEEP_SECONDS: '1', WEBHOOK_ALLOW_PRIVATE: 'true' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
  });
  afterAll(() => loupe?.close());

  it('leases exactly one task with stale statistics after a burst of reports', async () => {
    await isolatedQueue(loupe, 'burst', 'NO', { sources: ['report'] });
    // Uploaded a few at a time: faster than one by one, and each wait stays short on a loaded machine.
    const uploads: { id: string; status: string }[] = [];
    for (let first = 0; first < 30; first += 5) {
      uploads.push(...(await Promise.all(Array.from({ length: 5 }, (_, i) => uploadSettled(service, 700 + first + i, { region: 'NO' })))));
    }
    expect(uploads.map((u) => u.status)).toEqual(uploads.map(() => 'allowed'));
    const items = uploads.map((u) => u.id);
    // The planner now believes no task exists.
    const database = loupe.get(DatabaseConnection);
    await database.rows(sql`analyze review_tasks`);
    await database.rows(sql`analyze review_cases`);
    for (const id of items) {
      const report = await service.post(`/v1/contents/${id}/reports`, { json: { policyId: 'adult_nudity', reason: 'burst' } });
      expect(report.status).toBe(201);
    }

    const moderator = await loupe.client('moderator', 'dora');
    const task = await claim(moderator, 'burst');
    expect(task).not.toBeNull();

    const queues = (await analyst.get('/v1/review/queues')).body as { id: string; counts: { open: number; leased: number } }[];
    expect(queues.find((q) => q.id === 'burst')?.counts).toMatchObject({ open: 29, leased: 1 });
    const claims = (await analyst.get('/v1/audit?action=review.claim&limit=100')).body as unknown[];
    expect(claims).toHaveLength(1);
  });

  it('offers overdue work first, raises priority as a deadline nears, and records and announces each breach once', async () => {
    const receiver = new WebhookReceiver();
    const base = await receiver.start();
    const subscription = await loupe.admin.post('/v1/webhooks', { json: { url: `${base}/sla`, events: ['review.sla_breached'] } });
    expect(subscription.status).toBe(201);
    receiver.on('/sla', subscription.body.secret, () => 'ok');
    await isolatedQueue(loupe, 'sla', 'IS', { sources: ['report'], slaMinutes: 100 });
    const report = (id: string) => service.post(`/v1/contents/${id}/reports`, { json: { policyId: 'adult_nudity', reason: 'sla' } });
    const ids: Record<'overdue' | 'reported' | 'fresh' | 'nearing', string> = { overdue: '', reported: '', fresh: '', nearing: '' };
    const names = Object.keys(ids) as (keyof typeof ids)[];
    const uploaded = await Promise.all(names.map((_, i) => uploadSettled(service, 800 + i, { region: 'IS' })));
    // Reported one after another, so that their cases open (and tie-break by age) in this order.
    for (const [i, name] of names.entries()) {
      ids[name] = uploaded[i].id;
      expect((await report(ids[name])).status).toBe(201);
    }
    // Three reports weigh more than one: without the SLA, `reported` would come first.
    expect((await report(ids.reported)).status).toBe(201);
    expect((await report(ids.reported)).status).toBe(201);

    // Time passes for two cases: one is past its deadline, one is 90% of the way to it.
    const database = loupe.get(DatabaseConnection);
    await database.rows(sql`update review_cases set sla_deadline = now() - interval '1 minute' where content_id = ${ids.overdue}::uuid`);
    await database.rows(
      sql`update review_cases set created_at = now() - interval '90 minutes', sla_deadline = now() + interval '10 minutes' where content_id = ${ids.nearing}::uuid`,
    );

    // The monitor, running on its own every second, records the breach.
    const queue = await waitFor(
      async () => ((await analyst.get('/v1/review/queues')).body as { id: string; counts: { overdue: number; breachesLast24h: number } }[]).find((q) => q.id === 'sla'),
      (q) => q?.counts.breachesLast24h === 1,
      'the SLA breach to be recorded',
    );
    expect(queue?.counts.overdue).toBe(1);
    // One more pass, run here, so that the re-ordering it does after recording is surely done.
    expect(await loupe.get(SlaMonitorService).sweep()).toEqual([]);

    const moderator = await loupe.client('moderator', 'erin');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const task = await claim(moderator, 'sla');
      order.push(task.content.id);
      const decided = await moderator.post(`/v1/review/tasks/${task.id}/decision`, { json: { labels: [{ policyId: 'adult_nudity', violating: false }] } });
      expect(decided.status).toBe(201);
    }
    expect(order).toEqual([ids.overdue, ids.nearing, ids.reported, ids.fresh]);

    const breaches = (await analyst.get('/v1/audit?action=review.sla_breach&limit=100')).body as { data: { queue: string; contentId: string } }[];
    expect(breaches).toHaveLength(1);
    expect(breaches[0].data).toMatchObject({ queue: 'sla', contentId: ids.overdue });
    const after = ((await analyst.get('/v1/review/queues')).body as { id: string; counts: { overdue: number; breachesLast24h: number } }[]).find((q) => q.id === 'sla');
    expect(after?.counts).toMatchObject({ overdue: 0, breachesLast24h: 1 });

    // The platform hears of it once, signed.
    const heard = await waitFor(async () => receiver.unique('/sla'), (list) => list.length === 1, 'the SLA webhook');
    expect(heard[0].signatureValid).toBe(true);
    expect(heard[0].event).toMatchObject({ type: 'review.sla_breached', data: { contentId: ids.overdue, queueId: 'sla', severity: 'high' } });
    await receiver.stop();
  });
});
