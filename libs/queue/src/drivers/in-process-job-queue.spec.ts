import { Test } from '@nestjs/testing';
import { DiscoveryModule } from '@nestjs/core';
import { JobContext, JobHandler } from '../job-handler';
import { JobHandlerFor } from '../job-handler.decorator';
import { JobDispatcher } from '../job-dispatcher';
import { PermanentJobError } from '../permanent-job.error';
import { LoupeConfig } from '@loupe/config';
import { retryPolicyOf } from '../job-catalog';
import { InProcessJobQueue } from './in-process-job-queue';

/** Scripted outcomes per content id: 'ok', 'transient' or 'permanent', one per attempt. */
const script = new Map<string, string[]>();
const calls: { id: string; attempt: number; at: number }[] = [];
const failures: { id: string; message: string }[] = [];

async function run(id: string, context: JobContext): Promise<void> {
  calls.push({ id, attempt: context.attempt, at: Date.now() });
  const outcome = script.get(id)?.shift() ?? 'ok';
  await context.progress(50);
  if (outcome === 'transient') throw new Error(`transient failure of ${id}`);
  if (outcome === 'permanent') throw new PermanentJobError('test.bad_input', `bad input ${id}`);
}

@JobHandlerFor('content.process-media')
class MediaHandler implements JobHandler<'content.process-media'> {
  handle({ contentId }: { contentId: string }, context: JobContext) {
    return run(contentId, context);
  }
  async onFailed({ contentId }: { contentId: string }, error: Error) {
    failures.push({ id: contentId, message: error.message });
  }
}

@JobHandlerFor('content.classify')
class ClassifyHandler implements JobHandler<'content.classify'> {
  handle({ contentId }: { contentId: string }, context: JobContext) {
    return run(contentId, context);
  }
}

@JobHandlerFor('banks.import')
class ImportHandler implements JobHandler<'banks.import'> {
  handle({ importId }: { importId: string }, context: JobContext) {
    return run(importId, context);
  }
}

@JobHandlerFor('webhooks.deliver')
class WebhookHandler implements JobHandler<'webhooks.deliver'> {
  handle({ deliveryId }: { deliveryId: string }, context: JobContext) {
    return run(deliveryId, context);
  }
  async onFailed({ deliveryId }: { deliveryId: string }, error: Error) {
    failures.push({ id: deliveryId, message: error.message });
  }
}

@JobHandlerFor('learning.train')
class TrainHandler implements JobHandler<'learning.train'> {
  handle({ runId }: { runId: string }, context: JobContext) {
    return run(runId, context);
  }
}

@JobHandlerFor('learning.backfill-features')
class BackfillHandler implements JobHandler<'learning.backfill-features'> {
  handle({ backfillId }: { backfillId: string }, context: JobContext) {
    return run(backfillId, context);
  }
}

/** What the scheduled jobs ran: their name and the id the queue gave the fire. */
const fires: { name: string; jobId: string }[] = [];
/** While set, a check holds its slot until this settles. */
let holdChecks: Promise<void> | null = null;

@JobHandlerFor('learning.scheduled-train')
class ScheduledTrainHandler implements JobHandler<'learning.scheduled-train'> {
  async handle(_payload: unknown, context: JobContext) {
    fires.push({ name: 'learning.scheduled-train', jobId: context.jobId });
  }
}

@JobHandlerFor('learning.check-new-labels')
class CheckNewLabelsHandler implements JobHandler<'learning.check-new-labels'> {
  async handle(_payload: unknown, context: JobContext) {
    fires.push({ name: 'learning.check-new-labels', jobId: context.jobId });
    await holdChecks;
  }
}

@JobHandlerFor('analysis.virality-recheck')
class ViralityRecheckHandler implements JobHandler<'analysis.virality-recheck'> {
  handle({ contentId }: { contentId: string }, context: JobContext) {
    return run(contentId, context);
  }
}

@JobHandlerFor('analysis.retro-hunt')
class RetroHuntHandler implements JobHandler<'analysis.retro-hunt'> {
  handle({ huntId }: { huntId: string }, context: JobContext) {
    return run(huntId, context);
  }
}

@JobHandlerFor('analysis.scan-trends')
class ScanTrendsHandler implements JobHandler<'analysis.scan-trends'> {
  async handle(_payload: unknown, context: JobContext) {
    fires.push({ name: 'analysis.scan-trends', jobId: context.jobId });
  }
}

const ALL_HANDLERS = [
  MediaHandler,
  ClassifyHandler,
  ImportHandler,
  WebhookHandler,
  TrainHandler,
  BackfillHandler,
  ScheduledTrainHandler,
  CheckNewLabelsHandler,
  ViralityRecheckHandler,
  RetroHuntHandler,
  ScanTrendsHandler,
];

const settle = async (queue: InProcessJobQueue, jobId: string, queueName: 'media' | 'inference' | 'webhooks' = 'media') => {
  for (let i = 0; i < 3000; i++) {
    const status = await queue.status(queueName, jobId);
    if (status && ['completed', 'failed'].includes(status.state)) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${jobId} did not settle`);
};

const waitUntil = async (done: () => Promise<boolean>) => {
  for (let i = 0; i < 3000 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('InProcessJobQueue', () => {
  let queue: InProcessJobQueue;
  let dispatcher: JobDispatcher;

  beforeEach(async () => {
    script.clear();
    calls.length = 0;
    failures.length = 0;
    const module = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [JobDispatcher, ...ALL_HANDLERS] }).compile();
    await module.init();
    dispatcher = module.get(JobDispatcher);
    queue = new InProcessJobQueue(dispatcher, 2, 1000);
  });
  afterEach(() => queue.onApplicationShutdown());

  it('runs a job under its catalog id and reports completion', async () => {
    const id = await queue.enqueue('content.process-media', { contentId: 'a' });
    expect(id).toBe('media-a');
    expect(await settle(queue, id)).toMatchObject({ state: 'completed', progress: 100, attemptsMade: 1, failedReason: null });
  });

  it('does the work once when the same job is enqueued twice', async () => {
    await queue.enqueue('content.process-media', { contentId: 'b' });
    await queue.enqueue('content.process-media', { contentId: 'b' });
    await settle(queue, 'media-b');
    expect(calls.filter((c) => c.id === 'b')).toHaveLength(1);
  });

  it('retries transient failures with doubling backoff, then succeeds', async () => {
    script.set('c', ['transient', 'transient', 'ok']);
    const status = await settle(queue, await queue.enqueue('content.process-media', { contentId: 'c' }));
    expect(status).toMatchObject({ state: 'completed', attemptsMade: 3 });
    const [first, second, third] = calls.filter((c) => c.id === 'c');
    expect([first.attempt, second.attempt, third.attempt]).toEqual([1, 2, 3]);
    // Backoff 1 s, then 2 s (catalog: backoffMs 1000, doubling). Checked as order, not as timing bounds.
    expect(third.at - second.at).toBeGreaterThan(second.at - first.at);
    expect(failures).toEqual([]);
  }, 15_000);

  it('fails bad input at once, without retries, and calls onFailed with the reason', async () => {
    script.set('d', ['permanent']);
    const status = await settle(queue, await queue.enqueue('content.process-media', { contentId: 'd' }));
    expect(status).toMatchObject({ state: 'failed', attemptsMade: 1, failedReason: 'bad input d' });
    expect(failures).toEqual([{ id: 'd', message: 'bad input d' }]);
  });

  it('gives up after the catalog attempts and calls onFailed once', async () => {
    script.set('e', ['transient', 'transient', 'transient', 'transient']);
    const status = await settle(queue, await queue.enqueue('content.process-media', { contentId: 'e' }));
    expect(status).toMatchObject({ state: 'failed', attemptsMade: 4 });
    expect(failures).toEqual([{ id: 'e', message: 'transient failure of e' }]);
  }, 20_000);

  it("takes a job's attempts and backoff from the configuration when the catalog says so (the webhook schedule)", async () => {
    const config = LoupeConfig.fromEnv({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_RETRY_BASE_MS: '10' });
    expect(retryPolicyOf('webhooks.deliver')).toEqual({ attempts: 8, backoffMs: 180_000 });
    expect(retryPolicyOf('webhooks.deliver', config)).toEqual({ attempts: 3, backoffMs: 10 });
    expect(retryPolicyOf('content.process-media', config)).toEqual({ attempts: 4, backoffMs: 1_000 });
    const configured = new InProcessJobQueue(dispatcher, 2, 1000, (name) => retryPolicyOf(name, config));
    try {
      script.set('w', ['transient', 'transient', 'transient', 'ok']);
      const id = await configured.enqueue('webhooks.deliver', { deliveryId: 'w', round: 0 });
      expect(id).toBe('webhook-w-0');
      expect(await settle(configured, id, 'webhooks')).toMatchObject({ state: 'failed', attemptsMade: 3 });
      expect(failures).toEqual([{ id: 'w', message: 'transient failure of w' }]);
      // A replay is a new round, hence a new job.
      expect(await configured.enqueue('webhooks.deliver', { deliveryId: 'w', round: 1 })).toBe('webhook-w-1');
      expect(await settle(configured, 'webhook-w-1', 'webhooks')).toMatchObject({ state: 'completed', attemptsMade: 1 });
    } finally {
      await configured.onApplicationShutdown();
    }
  });

  it('keeps queues apart: the same entity in two queues is two jobs', async () => {
    await queue.enqueue('content.process-media', { contentId: 'f' });
    await queue.enqueue('content.classify', { contentId: 'f' });
    await settle(queue, 'media-f');
    await settle(queue, 'classify-f', 'inference');
    expect(calls.filter((c) => c.id === 'f')).toHaveLength(2);
    expect(await queue.status('media', 'classify-f')).toBeNull();
  });

  it('forgets finished jobs beyond a recent window, so memory stays bounded', async () => {
    const small = new InProcessJobQueue(dispatcher, 2, 1000, undefined, 3);
    try {
      const ids = [];
      for (let i = 0; i < 10; i++) ids.push(await small.enqueue('content.process-media', { contentId: `w${i}` }));
      for (const id of ids.slice(-3)) await settle(small, id);
      await waitUntil(async () => (await small.pendingCount()) === 0);
      const remembered = [];
      for (const id of ids) if (await small.status('media', id)) remembered.push(id);
      expect(remembered).toEqual(ids.slice(-3));
    } finally {
      await small.onApplicationShutdown();
    }
  });

  it('frees the fixed id of a finished job for a re-enqueue, but never a pending one', async () => {
    script.set('g', ['permanent', 'ok']);
    const id = await queue.enqueue('content.process-media', { contentId: 'g' });
    await settle(queue, id);
    await queue.enqueue('content.process-media', { contentId: 'g' });
    expect(calls.filter((c) => c.id === 'g')).toHaveLength(1);
    expect(await queue.forgetFinished('media', id)).toBe(true);
    expect(await queue.status('media', id)).toBeNull();
    await queue.enqueue('content.process-media', { contentId: 'g' });
    expect(await settle(queue, id)).toMatchObject({ state: 'completed' });
    expect(calls.filter((c) => c.id === 'g')).toHaveLength(2);

    script.set('h', ['transient', 'ok']);
    const pending = await queue.enqueue('content.process-media', { contentId: 'h' });
    expect(await queue.forgetFinished('media', pending)).toBe(false);
    expect(await settle(queue, pending)).toMatchObject({ state: 'completed' });
  }, 15_000);
});

describe('JobDispatcher start-up check', () => {
  it('refuses to start when a job has no handler', async () => {
    const module = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [JobDispatcher, MediaHandler, ImportHandler] }).compile();
    await expect(module.init()).rejects.toThrow('job "content.classify" has no handler');
  });

  it('refuses to start when a job has two handlers', async () => {
    @JobHandlerFor('content.classify')
    class SecondClassifyHandler extends ClassifyHandler {}
    const module = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [JobDispatcher, ...ALL_HANDLERS, SecondClassifyHandler],
    }).compile();
    await expect(module.init()).rejects.toThrow('job "content.classify" has 2 handlers');
  });
});

describe('InProcessJobQueue schedules', () => {
  let dispatcher: JobDispatcher;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const firesOf = (schedulerId: string) => fires.filter((f) => f.jobId.startsWith(`repeat:${schedulerId}:`));
  const fireTime = (jobId: string) => Number(jobId.split(':').pop());

  beforeEach(async () => {
    fires.length = 0;
    holdChecks = null;
    const module = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [JobDispatcher, ...ALL_HANDLERS] }).compile();
    await module.init();
    dispatcher = module.get(JobDispatcher);
  });

  it('fires an interval at once and then every interval, each fire a job with an id of its own', async () => {
    const queue = new InProcessJobQueue(dispatcher, 2, 1000);
    try {
      await queue.schedule('check', 'learning.check-new-labels', {}, { everyMs: 40 });
      await sleep(190);
      const ids = firesOf('check').map((f) => f.jobId);
      expect(ids.length).toBeGreaterThanOrEqual(3);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^repeat:check:\d+$/);
      // One interval apart (a fire held up by a busy event loop skips ahead by whole intervals).
      for (let i = 1; i < ids.length; i++) expect((fireTime(ids[i]) - fireTime(ids[0])) % 40).toBe(0);
      expect(await queue.status('learning', ids[0])).toMatchObject({ name: 'learning.check-new-labels', state: 'completed' });
    } finally {
      await queue.onApplicationShutdown();
    }
  });

  it('leaves an unchanged schedule alone when it is set again, and stops it when it is removed', async () => {
    const queue = new InProcessJobQueue(dispatcher, 2, 1000);
    try {
      await queue.schedule('check', 'learning.check-new-labels', {}, { everyMs: 60 });
      await sleep(20);
      await queue.schedule('check', 'learning.check-new-labels', {}, { everyMs: 60 });
      await sleep(20);
      // Set again with the same values: no fire at once, as a new schedule would have had 20 ms after
      // the first. Every fire is on the first one's grid: a loaded machine may already have let the
      // next regular fire come (the sleeps are at least, not at most, 20 ms).
      const ids = firesOf('check').map((f) => f.jobId);
      expect(ids.length).toBeGreaterThanOrEqual(1);
      for (const id of ids) expect((fireTime(id) - fireTime(ids[0])) % 60).toBe(0);

      expect(await queue.unschedule('check')).toBe(true);
      const stopped = firesOf('check').length;
      await sleep(300);
      // At most a fire already under way as it was removed; a schedule still running fires every 60 ms.
      expect(firesOf('check').length).toBeLessThanOrEqual(stopped + 1);
      expect(await queue.unschedule('check')).toBe(false);
    } finally {
      await queue.onApplicationShutdown();
    }
  });

  it('skips a fire while the last one still waits for a slot, rather than piling jobs up', async () => {
    const queue = new InProcessJobQueue(dispatcher, 1, 1000);
    let release!: () => void;
    holdChecks = new Promise((resolve) => (release = resolve));
    try {
      await queue.schedule('check', 'learning.check-new-labels', {}, { everyMs: 10 });
      await sleep(150);
      // The first fire runs (held), the second waits; the dozen fires since added nothing.
      expect(firesOf('check')).toHaveLength(1);
      expect(await queue.pendingCount()).toBe(2);
      release();
      await waitUntil(async () => firesOf('check').length >= 3);
      expect(firesOf('check').length).toBeGreaterThanOrEqual(3);
    } finally {
      release();
      await queue.onApplicationShutdown();
    }
  });

  it('fires a cron schedule at its times in UTC, also one further away than a timer can wait, and clears its timers at shutdown', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-02T01:59:30Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const queue = new InProcessJobQueue(dispatcher, 2, 1000);
    try {
      await queue.schedule('nightly', 'learning.scheduled-train', {}, { cron: '0 2 * * *' });
      await queue.schedule('new-year', 'learning.scheduled-train', {}, { cron: '0 0 1 1 *' });
      await jest.advanceTimersByTimeAsync(29_000);
      expect(fires).toEqual([]);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(fires).toEqual([{ name: 'learning.scheduled-train', jobId: `repeat:nightly:${Date.parse('2026-12-02T02:00:00Z')}` }]);
      await jest.advanceTimersByTimeAsync(24 * 3600_000);
      expect(firesOf('nightly').map((f) => f.jobId)).toEqual([
        `repeat:nightly:${Date.parse('2026-12-02T02:00:00Z')}`,
        `repeat:nightly:${Date.parse('2026-12-03T02:00:00Z')}`,
      ]);
      // 1 January is 30 days away, beyond setTimeout's 24.8: the timer wakes early and waits again.
      await jest.advanceTimersByTimeAsync(Date.parse('2027-01-01T00:00:00Z') - 1 - Date.now());
      expect(firesOf('new-year')).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(firesOf('new-year').map((f) => f.jobId)).toEqual([`repeat:new-year:${Date.parse('2027-01-01T00:00:00Z')}`]);

      await queue.onApplicationShutdown();
      expect(jest.getTimerCount()).toBe(0);
      await queue.schedule('late', 'learning.scheduled-train', {}, { cron: '* * * * *' });
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      await queue.onApplicationShutdown();
      jest.useRealTimers();
    }
  });
});
