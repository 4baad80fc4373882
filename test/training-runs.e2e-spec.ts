import { Queue } from 'bullmq';
import { redisConnectionFromUrl } from '@loupe/queue';
import { ApiClient, claim, decide, makeSymbolImage, contentForm, notViolating, reviewEverything, startTestApp, TEST_REDIS_URL, TestApp, violating, waitFor } from '@loupe/testing';

jest.setTimeout(240_000);

/**
 * Training runs as an engineer meets them: started by the clock and by new
 * labels as well as on demand, one at a time, cancelled, and failing with
 * a plain reason when the labels cannot make a head. The clock is a schedule
 * of the queue: timers in the embedded mode, a BullMQ job scheduler on Redis
 * for the real stores.
 */
describe('training runs (embedded; the clock on the real stores too)', () => {
  let loupe: TestApp;
  let onRedis: TestApp | undefined;
  let cron: string;
  let engineer: ApiClient;
  let service: ApiClient;
  let moderator: ApiClient;

  const runs = async () => (await engineer.get('/v1/training-runs')).body as any[];
  const ended = (id: string) =>
    waitFor(async () => (await engineer.get(`/v1/training-runs/${id}`)).body, (r) => !['queued', 'running'].includes(r.status), `run ${id} to end`, 120_000);

  beforeAll(async () => {
    // Scheduled for the next minute (the one after, if the start might outlast this one), new labels
    // checked every second, a run after 4 of them. The same minute on PostgreSQL and BullMQ, without the labels.
    const now = new Date();
    cron = `${(now.getUTCMinutes() + (now.getUTCSeconds() > 40 ? 2 : 1)) % 60} * * * *`;
    [loupe, onRedis] = await Promise.all([
      startTestApp('embedded', { TRAINING_CRON: cron, TRAINING_CHECK_SECONDS: '1', TRAINING_NEW_LABELS: '4', CONSENSUS_UNCERTAINTY: '0' }),
      startTestApp('real', { TRAINING_CRON: cron, TRAINING_NEW_LABELS: '0' }),
    ]);
    engineer = await loupe.client('ml_engineer');
    service = await loupe.client('service');
    moderator = await loupe.client('moderator');
    await reviewEverything(loupe);
  });
  afterAll(async () => {
    await onRedis?.close();
    await loupe?.close();
  });

  it('starts on the schedule, once per minute, and fails plainly without labels', async () => {
    const scheduled = await waitFor(runs, (list) => list.some((r) => r.trigger === 'schedule'), 'a scheduled run', 150_000);
    const run = await ended(scheduled.find((r: any) => r.trigger === 'schedule').id);
    expect(run).toMatchObject({ status: 'failed', trigger: 'schedule', message: expect.stringMatching(/^Too few labels: a policy needs 30 violating and 30 not violating labels/) });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const minute = Math.floor(new Date(run.createdAt).getTime() / 60_000);
    expect((await runs()).filter((r) => r.trigger === 'schedule' && Math.floor(new Date(r.createdAt).getTime() / 60_000) === minute)).toHaveLength(1);
  });

  it('starts on the schedule on BullMQ: one job scheduler in Redis, its fire a job of its own, one run', async () => {
    const stack = onRedis!;
    const engineerThere = await stack.client('ml_engineer');
    const runsThere = async () => (await engineerThere.get('/v1/training-runs')).body as any[];
    // The same minute as the embedded run above, which has come: the fire is due or done.
    const scheduled = await waitFor(runsThere, (list) => list.some((r) => r.trigger === 'schedule'), 'a scheduled run on BullMQ', 60_000);
    const id = scheduled.find((r: any) => r.trigger === 'schedule').id;
    const run = await waitFor(async () => (await engineerThere.get(`/v1/training-runs/${id}`)).body, (r) => !['queued', 'running'].includes(r.status), `run ${id} to end`, 120_000);
    expect(run).toMatchObject({ status: 'failed', trigger: 'schedule', message: expect.stringMatching(/^Too few labels/) });

    const { queue } = stack.config;
    if (queue.kind !== 'redis') throw new Error('the real stores run BullMQ');
    const learning = new Queue('learning', { connection: redisConnectionFromUrl(TEST_REDIS_URL, 'producer'), prefix: queue.prefix });
    try {
      // The only schedule (TRAINING_NEW_LABELS=0 sets none for the label count); its next fire is an hour on.
      const fired = Math.floor(new Date(run.createdAt).getTime() / 60_000) * 60_000;
      expect(await learning.getJobSchedulers()).toEqual([
        expect.objectContaining({ key: 'training-schedule', name: 'learning.scheduled-train', pattern: cron, tz: 'UTC', next: fired + 3600_000 }),
      ]);
      expect((await learning.getCompleted()).map((job) => job.id)).toContain(`repeat:training-schedule:${fired}`);
      expect((await runsThere()).filter((r) => r.trigger === 'schedule')).toHaveLength(1);
    } finally {
      await stack.close();
      onRedis = undefined;
      // The schedule outlives the app in Redis: this test's queue goes with it.
      await learning.obliterate({ force: true });
      await learning.close();
    }
  });

  it('starts when enough new labels arrive; one run at a time; a run can be cancelled', async () => {
    for (let i = 0; i < 4; i++) {
      const upload = await service.post('/v1/contents', { form: contentForm(await makeSymbolImage({ seed: 900 + i, kind: i % 2 ? 'symbol' : 'plain' })) });
      expect(upload.status).toBe(202);
      await waitFor(async () => (await service.get(`/v1/contents/${upload.body.id}`)).body.status, (s) => s === 'in_review', 'review');
      const task = await claim(moderator);
      await decide(moderator, task.id, i % 2 ? violating('hate_symbols') : notViolating('hate_symbols'));
    }
    const triggered = await waitFor(runs, (list) => list.some((r) => r.trigger === 'new_labels'), 'a run for the new labels', 30_000);
    expect((await ended(triggered.find((r: any) => r.trigger === 'new_labels').id)).status).toMatch(/failed|succeeded/);

    // On demand: a long run (one label of each class suffices here), then a second request while it runs.
    const started = await engineer.post('/v1/training-runs', { json: { params: { minLabelsPerClass: 1, epochs: 1000, patience: 1000, validationShare: 0 } } });
    expect(started.status).toBe(202);
    const second = await engineer.post('/v1/training-runs', { json: {} });
    expect([second.status, second.body.code, second.body.details.run.id]).toEqual([409, 'training.already_running', started.body.id]);
    await waitFor(async () => (await engineer.get(`/v1/training-runs/${started.body.id}`)).body, (r) => r.progress?.stage === 'training', 'training to start', 60_000);
    const cancel = await engineer.post(`/v1/training-runs/${started.body.id}/cancel`, { json: {} });
    expect(cancel.status).toBe(200);
    expect(await ended(started.body.id)).toMatchObject({ status: 'cancelled', cancelRequested: true, modelVersionId: null });
    const again = await engineer.post(`/v1/training-runs/${started.body.id}/cancel`, { json: {} });
    expect([again.status, again.body.code]).toEqual([409, 'training.run_ended']);
    expect((await engineer.get('/v1/training-runs/00000000-0000-4000-8000-000000000000')).body.code).toBe('training.run_not_found');
    // Gates of its own: refused when one sets no limit, or names a metric Loupe does not measure.
    const noLimit = await engineer.post('/v1/training-runs', { json: { params: { gates: [{ policy: '*', metric: 'prAuc', greaterIsBetter: true }] } } });
    expect([noLimit.status, noLimit.body.code]).toEqual([400, 'training.invalid_gates']);
    const unknown = await engineer.post('/v1/training-runs', { json: { params: { gates: [{ policy: '*', metric: 'accuracy', greaterIsBetter: true, maxFall: 0.1 }] } } });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'request.invalid']);
  });
});
