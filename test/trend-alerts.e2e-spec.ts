import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '@loupe/database';
import { JobDispatcher } from '@loupe/queue';
import { ApiClient, claim, contentForm, decide, makeImage, moveContentTo, startTestApp, StoreKind, TestApp, violating, waitFor } from '@loupe/testing';
import { trendsCommand } from '../apps/cli/src/commands/trends.command';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** The simulated hour the burst starts, counted from the stream's first hour. */
const BURST_HOUR = 20;
const BURST_ITEMS = 8;

/**
 * A simulated day of flagged items, built through HTTP: one reported item
 * an hour, all tagged #steady, sent with the platform's event times
 * (postedAt, reportedAt) of its hour; and at hour 20 eight re-uploads of a
 * banked image tagged #burst, removed at ingest by the bank. Loupe's own
 * removals take no event time, so the burst's rows are then moved back,
 * one delta per item, onto their simulated hour. Scans "as of" several
 * hours then show what an hourly scan would have seen at each.
 */
describe.each<StoreKind>(['embedded', 'real'])('trend alerts on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;
  let db: DatabaseConnection;
  /** The stream's first hour (a day and a bit before now, on the hour). */
  let start: number;
  const at = (hour: number) => new Date(start + hour * HOUR).toISOString();
  const burstItems: string[] = [];
  let bankedId = '';

  const settled = (id: string) =>
    waitFor(async () => (await service.get(`/v1/contents/${id}`)).body, (c) => !['received', 'processing'].includes(c.status), `content ${id}`);
  const upload = async (image: Buffer, hashtags: string, postedAt?: string) => {
    const response = await service.post('/v1/contents', { form: contentForm(image, { hashtags, postedAt }) });
    expect(response.status).toBe(202);
    return response.body.id as string;
  };
  /** Moves an item and everything stamped about it back to `hour` (plus a few minutes, so items keep their order). */
  const stamp = async (id: string, hour: number, minute: number) => {
    await moveContentTo(db, id, new Date(start + hour * HOUR + minute * 60_000));
  };
  const scan = async (hour: number) => {
    const response = await analyst.post('/v1/analysis/trends/scan', { json: { until: at(hour) } });
    expect(response.status).toBe(200);
    return response.body;
  };
  const alertsOf = (body: any[], subject: string) => body.filter((a) => a.subject === subject);

  beforeAll(async () => {
    // No exposure limit: a moderator below claims past the day's reported items, all of high severity, to reach a held one.
    loupe = await startTestApp(stores, { CONSENSUS_UNCERTAINTY: '0', TREND_SCAN_CRON: 'off', EXPOSURE_HOURLY_LIMIT: '1000', EXPOSURE_SHIFT_LIMIT: '1000' });
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    db = loupe.get(DatabaseConnection);
    start = Math.floor(Date.now() / HOUR) * HOUR - 26 * HOUR;

    // A picture a moderator removes after a report: the removal banks it.
    const banked = await makeImage({ seed: 9101 });
    bankedId = await upload(banked, 'steady');
    expect((await settled(bankedId)).status).toBe('allowed');
    expect((await service.post(`/v1/contents/${bankedId}/reports`, { json: { policyId: 'adult_nudity', reason: 'nudity' } })).status).toBe(201);
    const alice = await loupe.client('moderator', 'alice');
    await decide(alice, (await claim(alice)).id, violating());

    // One reported item an hour, and the burst: re-uploads of the banked picture, removed at ingest.
    const steady: string[] = [];
    const minuteOf = (hour: number, minute: number) => new Date(start + hour * HOUR + minute * 60_000).toISOString();
    for (let hour = 0; hour < BURST_HOUR + 2; hour++) steady.push(await upload(await makeImage({ seed: 9200 + hour }), `steady,daily${hour}`, minuteOf(hour, 10)));
    for (let i = 0; i < BURST_ITEMS; i++) burstItems.push(await upload(banked, 'steady,burst'));
    for (const [hour, id] of steady.entries()) {
      await settled(id);
      const report = { policyId: 'adult_nudity', reason: 'spam wave', reportedAt: minuteOf(hour, 11) };
      expect((await service.post(`/v1/contents/${id}/reports`, { json: report })).status).toBe(201);
    }
    for (const id of burstItems) expect((await settled(id)).decision).toMatchObject({ outcome: 'removed', source: 'hash' });

    await stamp(bankedId, 0, 5);
    for (const [i, id] of burstItems.entries()) await stamp(id, BURST_HOUR, 20 + i);
  });
  afterAll(() => loupe?.close());

  it('flags the bursting hashtag within two simulated hours of its start, and never the steady one', async () => {
    // Hour by hour as the hourly scan would have run: nothing before the burst.
    for (const hour of [BURST_HOUR - 2, BURST_HOUR - 1, BURST_HOUR]) {
      const before = await scan(hour);
      expect(before.alerts.map((a: any) => a.subject)).not.toContain('#burst');
      expect(before.alerts.map((a: any) => a.subject)).not.toContain('#steady');
    }
    // The scan at the end of the burst's first hour flags it, from that hour.
    const first = await scan(BURST_HOUR + 1);
    const [burst] = alertsOf(first.alerts, '#burst');
    expect(burst).toMatchObject({ kind: 'term_burst', status: 'open', firstSeenAt: at(BURST_HOUR), count: BURST_ITEMS, policyId: 'adult_nudity' });
    expect(burst.lift).toBeGreaterThan(3);
    expect(burst.baseline).toBeLessThan(1);
    expect(alertsOf(first.alerts, '#steady')).toEqual([]);

    // The next scans see the same burst: the alert is updated, not repeated.
    await scan(BURST_HOUR + 2);
    const later = await scan(BURST_HOUR + 3);
    expect(alertsOf(later.alerts, '#steady')).toEqual([]);
    const terms = (await analyst.get('/v1/analysis/trends?kind=term_burst')).body;
    expect(alertsOf(terms, '#burst').map((a: any) => a.id)).toEqual([burst.id]);
  });

  it('keeps the evidence: counts, lift, the hours, and example items whose previews are blurred images', async () => {
    const [listed] = alertsOf((await analyst.get('/v1/analysis/trends?kind=term_burst')).body, '#burst');
    const alert = (await analyst.get(`/v1/analysis/trends/${listed.id}`)).body;
    expect(alert.evidence).toMatchObject({ term: '#burst', termKind: 'hashtag', detector: 'poisson', items: BURST_ITEMS, policies: { adult_nudity: BURST_ITEMS } });
    expect(alert.evidence.peak).toMatchObject({ at: at(BURST_HOUR), count: BURST_ITEMS, total: BURST_ITEMS + 1 });
    expect(alert.evidence.contentIds.sort()).toEqual([...burstItems].sort());
    const hours = alert.evidence.hours as any[];
    expect(hours.find((h) => h.at === at(BURST_HOUR))).toMatchObject({ count: BURST_ITEMS, flagged: true });
    expect(hours.find((h) => h.at === at(BURST_HOUR - 1))).toMatchObject({ count: 0, total: 1, flagged: false });
    expect(alert.evidence.relatedTerms.map((r: any) => r.term)).toContain('#steady');

    expect(alert.evidence.examples.length).toBeGreaterThan(0);
    const example = alert.evidence.examples[0];
    expect(example.previewUrl).toBe(`/v1/analysis/contents/${example.contentId}/preview`);
    const preview = await fetch(`${loupe.baseUrl}${example.previewUrl}`, { headers: { 'x-api-key': analyst.key! } });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toMatch(/^image\/jpeg/);
    const bytes = Buffer.from(await preview.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    const moderator = await loupe.client('moderator');
    expect((await moderator.get(example.previewUrl)).status).toBe(403);
    expect((await analyst.get(`/v1/analysis/contents/${UNKNOWN_ID}/preview`)).body.code).toBe('content.not_found');
  });

  it('flags the surge of matches of the bank entry, and of its bank', async () => {
    const surges = (await analyst.get('/v1/analysis/trends?kind=bank_surge')).body as any[];
    const entry = surges.find((a) => a.evidence.scope === 'entry');
    const bank = surges.find((a) => a.evidence.scope === 'bank');
    expect(entry).toMatchObject({ firstSeenAt: at(BURST_HOUR), count: BURST_ITEMS });
    expect(entry.subject).toBe(`entry:${entry.evidence.entryId}`);
    expect(bank).toMatchObject({ subject: `bank:${entry.evidence.bankId}`, firstSeenAt: at(BURST_HOUR), count: BURST_ITEMS });
    expect(entry.lift).toBeGreaterThan(3);
    expect(entry.evidence.contentIds.sort()).toEqual([...burstItems].sort());
  });

  it('finds the new visual cluster: the banked picture and its re-uploads, with nothing like them before', async () => {
    // Items removed at ingest are still classified afterwards: wait for their embeddings.
    const ids = [bankedId, ...burstItems];
    await waitFor(
      async () => (await db.rows<{ n: number }>(sql`select count(*)::int as n from content_embeddings where frame_index is null and content_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`))[0].n,
      (n) => n === ids.length,
      'the embeddings of the burst',
    );
    // The latest scan so far (an earlier one would not overwrite what a later one found).
    await scan(BURST_HOUR + 3);
    const clusters = (await analyst.get('/v1/analysis/trends?kind=visual_cluster')).body as any[];
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ subject: `cluster:${bankedId}`, count: ids.length, baseline: 0, firstSeenAt: at(0), lastSeenAt: at(BURST_HOUR), policyId: 'adult_nudity' });
    expect(clusters[0].evidence).toMatchObject({ leader: bankedId, nearestBaselineSimilarity: null });
    expect(clusters[0].evidence.contentIds.sort()).toEqual([...ids].sort());
  });

  it('lists by status, kind, policy and time, as JSON or CSV, and acknowledges once', async () => {
    const [alert] = alertsOf((await analyst.get('/v1/analysis/trends?status=open&policy=adult_nudity')).body, '#burst');
    expect(alert).toBeDefined();
    expect((await analyst.get('/v1/analysis/trends?policy=violent_extremism')).body).toEqual([]);
    expect((await analyst.get(`/v1/analysis/trends?since=${encodeURIComponent(at(BURST_HOUR + 1))}`)).body).toEqual([]);
    expect(alertsOf((await analyst.get(`/v1/analysis/trends?since=${encodeURIComponent(at(BURST_HOUR))}`)).body, '#burst')).toHaveLength(1);
    const csv = await analyst.get('/v1/analysis/trends?kind=term_burst&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('id,kind,subject,policyId,status,firstSeenAt,lastSeenAt,count,baseline,lift,acknowledgedAt,note');
    expect(csv.text).toContain(`${alert.id},term_burst,#burst,adult_nudity,open,${at(BURST_HOUR)}`);

    const acknowledged = await analyst.post(`/v1/analysis/trends/${alert.id}/acknowledge`, { json: { note: 'a spam wave; banked' } });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', note: 'a spam wave; banked' });
    expect(acknowledged.body.acknowledgedBy).toEqual(expect.any(String));
    const again = await analyst.post(`/v1/analysis/trends/${alert.id}/acknowledge`, { json: {} });
    expect([again.status, again.body.code]).toEqual([409, 'trend.already_acknowledged']);
    expect(alertsOf((await analyst.get('/v1/analysis/trends?status=open')).body, '#burst')).toEqual([]);
    expect(alertsOf((await analyst.get('/v1/analysis/trends?status=acknowledged')).body, '#burst')).toHaveLength(1);
    // A later scan of the same burst leaves it acknowledged.
    await scan(BURST_HOUR + 3);
    expect((await analyst.get(`/v1/analysis/trends/${alert.id}`)).body.status).toBe('acknowledged');
  });

  it('turns the trend into a review queue whose tasks a moderator can claim, each item once', async () => {
    const [alert] = alertsOf((await analyst.get('/v1/analysis/trends?kind=term_burst')).body, '#burst');
    const made = await analyst.post(`/v1/analysis/trends/${alert.id}/work`, { json: { kind: 'review_queue' } });
    expect(made.status).toBe(201);
    const queueId = made.body.work.queueId as string;
    expect(made.body).toMatchObject({ work: { kind: 'review_queue', items: BURST_ITEMS }, alreadyInReview: 0, alreadyDecided: 0 });
    expect(made.body.alert.work).toEqual([made.body.work]);
    const twice = await analyst.post(`/v1/analysis/trends/${alert.id}/work`, { json: { kind: 'review_queue' } });
    expect([twice.status, twice.body.code, twice.body.details.queueId]).toEqual([409, 'trend.work_exists', queueId]);

    const bob = await loupe.client('moderator', 'bob');
    const task = await claim(bob, queueId);
    expect(task).not.toBeNull();
    expect(task).toMatchObject({ queue: queueId, source: 'hash', policyIds: ['adult_nudity'] });
    expect(task.machineReason).toContain(`Trend alert ${alert.id}`);
    expect(burstItems).toContain(task.content.id);
    expect(task.content.hashtags).toContain('burst');

    // The items are in review now: a labelling batch of the same trend opens none of them again.
    const batch = await analyst.post(`/v1/analysis/trends/${alert.id}/work`, { json: { kind: 'labelling_batch' } });
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ work: { kind: 'labelling_batch', items: 0 }, alreadyInReview: BURST_ITEMS });
    expect((await analyst.get(`/v1/analysis/trends/${alert.id}`)).body.work.map((w: any) => w.kind)).toEqual(['review_queue', 'labelling_batch']);
  });

  it('runs the hourly job up to the hour just ended: the same bursts, updated, not repeated', async () => {
    const before = (await analyst.get('/v1/analysis/trends?limit=1000')).body as any[];
    const hourOf = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR).toISOString();
    const ran = hourOf(Date.now());
    await loupe.get(JobDispatcher).run('analysis.scan-trends', {}, { jobId: 'repeat:trend-scan:1', attempt: 1, maxAttempts: 2, progress: async () => undefined });
    const after = (await analyst.get('/v1/analysis/trends?limit=1000')).body as any[];
    expect(after.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
    const [burst] = alertsOf(after, '#burst');
    expect(burst).toMatchObject({ firstSeenAt: at(BURST_HOUR), status: 'acknowledged' });
    // Up to the hour just ended (the clock may have passed an hour meanwhile).
    expect([ran, hourOf(Date.now())]).toContain(burst.evidence.scannedUntil);
  });

  it('ranks the period’s top terms against the period before', async () => {
    const day = at(BURST_HOUR).slice(0, 10);
    const top = await analyst.get(`/v1/analysis/trends/top-terms?period=${day}&terms=hashtag&n=5`);
    expect(top.status).toBe(200);
    expect(top.body.rows.find((r: any) => r.term === '#burst')).toMatchObject({ count: BURST_ITEMS, previousCount: 0, isNew: true });
    expect(top.body.rows[0].term).toBe('#steady');
    const bad = await analyst.get('/v1/analysis/trends/top-terms?period=2026-Q5');
    expect([bad.status, bad.body.code, bad.body.details.field]).toEqual([400, 'analysis.invalid_period', 'period']);
  });

  // After the hourly job and the top terms, which read what is known now: this adds a burst to the day.
  it('counts items held for review on a model’s suspicion, once they are known: a scan of past hours as of now sees them', async () => {
    // Every upload in the review band of adult nudity while they arrive, posted at one hour of the day.
    const engineer = await loupe.client('ml_engineer');
    expect((await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0, remove: 1 } })).status).toBe(200);
    const held: string[] = [];
    try {
      for (let i = 0; i < 6; i++) held.push(await upload(await makeImage({ seed: 9400 + i }), 'held', new Date(start + (BURST_HOUR - 4) * HOUR + (30 + i) * 60_000).toISOString()));
      for (const id of held) expect((await settled(id)).decision).toMatchObject({ outcome: 'in_review', source: 'model', policyIds: ['adult_nudity'] });

      // Their cases were opened now: a scan as of that hour (the default) does not know of them, one as of now does.
      const until = at(BURST_HOUR - 3);
      const then = await analyst.post('/v1/analysis/trends/scan', { json: { until } });
      expect(alertsOf(then.body.alerts, '#held')).toEqual([]);
      const asOf = new Date().toISOString();
      const now = await analyst.post('/v1/analysis/trends/scan', { json: { until, asOf } });
      expect(now.status).toBe(200);
      expect(now.body).toMatchObject({ until, asOf, flaggedItems: then.body.flaggedItems + held.length });
      const [alert] = alertsOf(now.body.alerts, '#held');
      expect(alert).toMatchObject({ kind: 'term_burst', firstSeenAt: at(BURST_HOUR - 4), count: held.length, policyId: 'adult_nudity' });
      expect([...alert.evidence.contentIds].sort()).toEqual([...held].sort());
      const early = await analyst.post('/v1/analysis/trends/scan', { json: { until, asOf: at(BURST_HOUR - 4) } });
      expect([early.status, early.body.code, early.body.details?.field]).toEqual([400, 'request.invalid', 'asOf']);

      // A watch on it gathers the items waiting in the default queue, one a moderator has started excepted, into its own;
      // and what the models send to review while it runs goes there too.
      const dora = await loupe.client('moderator', 'dora');
      // The day's reported items may come first in the default queue; she keeps what she claims.
      let started = await claim(dora);
      for (let i = 0; i < 60 && started && !held.includes(started.content.id); i++) started = await claim(dora);
      expect(held).toContain(started?.content.id);
      const made = await analyst.post(`/v1/analysis/trends/${alert.id}/work`, { json: { kind: 'watch', hours: 1 } });
      expect(made.status).toBe(201);
      expect(made.body.gathered).toBe(held.length - 1);
      const queueId = made.body.work.queueId as string;
      const later = await settled(await upload(await makeImage({ seed: 9410 }), 'held'));
      expect(later.decision).toMatchObject({ outcome: 'in_review', source: 'model', policyIds: ['adult_nudity'] });
      const inQueue: string[] = [];
      for (let task = await claim(dora, queueId); task; task = await claim(dora, queueId)) {
        expect(task).toMatchObject({ queue: queueId, source: 'model' });
        inQueue.push(task.content.id);
      }
      expect(inQueue.sort()).toEqual([...held.filter((id) => id !== started.content.id), later.id].sort());
    } finally {
      await engineer.put('/v1/policies/adult_nudity/thresholds', { json: { review: 0.6, remove: 0.95 } });
    }
  });

  it('answers 404 for an unknown alert, and refuses bad requests', async () => {
    expect((await analyst.get(`/v1/analysis/trends/${UNKNOWN_ID}`)).body.code).toBe('trend.alert_not_found');
    expect((await analyst.post(`/v1/analysis/trends/${UNKNOWN_ID}/acknowledge`, { json: {} })).status).toBe(404);
    expect((await analyst.post(`/v1/analysis/trends/${UNKNOWN_ID}/work`, { json: { kind: 'review_queue' } })).status).toBe(404);
    expect((await analyst.post(`/v1/analysis/trends/${UNKNOWN_ID}/work`, { json: { kind: 'party' } })).status).toBe(400);
    expect((await analyst.get('/v1/analysis/trends/not-an-id')).body.code).toBe('request.invalid_id');
    expect((await analyst.post('/v1/analysis/trends/scan', { json: { hours: 5 } })).status).toBe(400);
    expect((await service.get('/v1/analysis/trends')).status).toBe(403);
  });

  it('keeps the event times the platform sent, and refuses ones ahead of the clock or a report before the post', async () => {
    const postedAt = at(3);
    const id = await upload(await makeImage({ seed: 9300 }), 'timed', postedAt);
    const item = (await settled(id)) as { postedAt: string; createdAt: string };
    expect(item.postedAt).toBe(postedAt);
    expect(Date.parse(item.createdAt)).toBeGreaterThan(Date.parse(postedAt) + 20 * HOUR);

    const ahead = new Date(Date.now() + HOUR).toISOString();
    const refused = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 9301 }), { postedAt: ahead }) });
    expect([refused.status, refused.body.code, refused.body.details.field]).toEqual([400, 'content.posted_at_future', 'postedAt']);
    const notATime = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 9301 }), { postedAt: 'yesterday' }) });
    expect([notATime.status, notATime.body.code]).toEqual([400, 'request.invalid']);

    const report = (reportedAt: string) => service.post(`/v1/contents/${id}/reports`, { json: { policyId: 'spam', reason: 'r', reportedAt } });
    const early = await report(at(2));
    expect([early.status, early.body.code, early.body.details.field]).toEqual([400, 'report.before_post', 'reportedAt']);
    expect((await report(ahead)).body.code).toBe('report.reported_at_future');
    const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from content_reports where content_id = ${id}::uuid`);
    expect(row.n).toBe(0);
    expect((await report(at(4))).status).toBe(201);
    const [kept] = await db.rows<{ created_at: string }>(sql`select created_at from content_reports where content_id = ${id}::uuid`);
    expect(new Date(kept.created_at).toISOString()).toBe(at(4));
  });

  // Last: the item it holds, posted now, would otherwise count in the day's terms above.
  it('watches the trend: new uploads carrying its term are held for review in its queue, the rest go on', async () => {
    const [alert] = alertsOf((await analyst.get('/v1/analysis/trends?kind=term_burst')).body, '#burst');
    const made = await analyst.post(`/v1/analysis/trends/${alert.id}/work`, { json: { kind: 'watch', hours: 24 } });
    expect(made.status).toBe(201);
    expect(made.body.work).toMatchObject({ kind: 'watch', queueId: `trend-${alert.id.slice(0, 8)}`, items: 0 });
    expect(Date.parse(made.body.work.until) - Date.parse(made.body.work.at)).toBe(24 * HOUR);

    const held = await settled(await upload(await makeImage({ seed: 9301 }), 'steady,Burst'));
    const other = await settled(await upload(await makeImage({ seed: 9302 }), 'steady'));
    expect(other.status).toBe('allowed');
    expect(held.status).toBe('in_review');
    expect(held.decision).toMatchObject({ outcome: 'in_review', source: 'rule', policyIds: [alert.policyId] });
    expect(held.decision.reason).toContain('#burst');

    // In the trend's queue, as a trend case; a moderator's decision settles it as any other.
    const carol = await loupe.client('moderator', 'carol');
    let task: any = null;
    for (let i = 0; i < 12 && task?.content.id !== held.id; i++) task = await claim(carol, made.body.work.queueId);
    expect(task).toMatchObject({ queue: made.body.work.queueId, source: 'trend', content: { id: held.id } });
    await decide(carol, task.id, violating(alert.policyId));
    expect((await service.get(`/v1/contents/${held.id}`)).body.status).toBe('removed');

    // Once per alert, term bursts only, and a sane length.
    const twice = await analyst.post(`/v1/analysis/trends/${alert.id}/work`, { json: { kind: 'watch' } });
    expect([twice.status, twice.body.code]).toEqual([409, 'trend.work_exists']);
    const surge = ((await analyst.get('/v1/analysis/trends?kind=bank_surge')).body as any[])[0];
    const notTerm = await analyst.post(`/v1/analysis/trends/${surge.id}/work`, { json: { kind: 'watch' } });
    expect([notTerm.status, notTerm.body.code]).toEqual([400, 'trend.watch_kind']);
    expect((await analyst.post(`/v1/analysis/trends/${surge.id}/work`, { json: { kind: 'watch', hours: 0 } })).status).toBe(400);
  });

  it('lists, scans and acknowledges from the command line', async () => {
    // The command reads the database directly: PostgreSQL here (an embedded database is held by the running server).
    if (stores !== 'real') return;
    const { database } = loupe.config;
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const saved = { ...process.env };
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      process.env = { ...saved, DATA_DIR: loupe.dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'error' };
      await trendsCommand().parseAsync(['--scan', '--until', at(BURST_HOUR + 1), '--kind', 'bank_surge'], { from: 'user' });
      const table = printed.join('\n');
      expect(table.split('\n')[0]).toMatch(/^id\s+kind\s+subject\s+policy\s+status\s+first seen/);
      const [entryLine] = table.split('\n').filter((line) => line.includes('entry:'));
      expect(entryLine).toMatch(new RegExp(`bank_surge\\s+entry:\\S+\\s+\\S+\\s+open\\s+${at(BURST_HOUR).slice(0, 13).replace('T', ' ')}h`));
      const id = entryLine.split(/\s+/)[0];
      printed.length = 0;
      await trendsCommand().parseAsync(['--ack', id, '--note', 'seen from the shell'], { from: 'user' });
      expect(printed.join('\n')).toMatch(/^Acknowledged bank_surge entry:/);
    } finally {
      process.env = saved;
      log.mockRestore();
      error.mockRestore();
    }
    expect((await analyst.get('/v1/analysis/trends?kind=bank_surge&status=acknowledged')).body.map((a: any) => a.note)).toContain('seen from the shell');
  });
});
