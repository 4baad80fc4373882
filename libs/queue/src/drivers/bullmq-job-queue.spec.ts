import { randomBytes } from 'node:crypto';
import { connect, createServer, Socket } from 'node:net';
import { ConnectionOptions, Job, Queue, Worker } from 'bullmq';
import Redis, { RedisOptions } from 'ioredis';
import { QUEUE_NAMES, QueueName } from '../job-catalog';
import { QueueUnavailableError } from '../queue-unavailable.error';
import { BullmqJobQueue } from './bullmq-job-queue';
import { redisConnectionFromUrl } from './redis-connection';

/** The shared Redis of every machine (see DEVELOPERS.md). Each test has a key prefix of its own and deletes its keys; nothing is flushed. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('BullmqJobQueue schedules (real Redis)', () => {
  let prefix: string;
  let queues: Map<QueueName, Queue>;
  let jobs: BullmqJobQueue;
  let worker: Worker | undefined;

  beforeEach(() => {
    prefix = `loupe-test-schedule-${randomBytes(4).toString('hex')}`;
    queues = new Map(QUEUE_NAMES.map((name) => [name, new Queue(name, { connection: redisConnectionFromUrl(REDIS_URL, 'producer'), prefix })]));
    jobs = new BullmqJobQueue(queues);
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    // Only this test's keys.
    const redis = new Redis(REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });

  it('keeps one scheduler per id however often it is set, changes it in place, and removes it with its next job', async () => {
    const learning = queues.get('learning')!;
    const upserts = jest.spyOn(learning, 'upsertJobScheduler');
    await jobs.schedule('nightly', 'learning.scheduled-train', {}, { cron: '0 2 * * *' });
    await jobs.schedule('nightly', 'learning.scheduled-train', {}, { cron: '0 2 * * *' });
    // The second, unchanged, is not even sent: an upsert would replace the next fire's job.
    expect(upserts).toHaveBeenCalledTimes(1);
    const [scheduler] = await learning.getJobSchedulers();
    expect(await learning.getJobSchedulersCount()).toBe(1);
    const nextTwoAm = new Date();
    nextTwoAm.setUTCHours(2, 0, 0, 0);
    if (nextTwoAm.getTime() <= Date.now()) nextTwoAm.setUTCDate(nextTwoAm.getUTCDate() + 1);
    expect(scheduler).toMatchObject({ key: 'nightly', name: 'learning.scheduled-train', pattern: '0 2 * * *', tz: 'UTC', next: nextTwoAm.getTime() });
    expect(scheduler.template?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 30_000 } });
    expect((await learning.getDelayed()).map((job) => job.id)).toEqual([`repeat:nightly:${nextTwoAm.getTime()}`]);

    await jobs.schedule('nightly', 'learning.scheduled-train', {}, { cron: '30 3 * * *' });
    expect(await learning.getJobSchedulersCount()).toBe(1);
    expect(await learning.getJobScheduler('nightly')).toMatchObject({ pattern: '30 3 * * *' });
    expect(await learning.getDelayedCount()).toBe(1);

    expect(await jobs.unschedule('nightly')).toBe(true);
    expect(await jobs.unschedule('nightly')).toBe(false);
    expect(await learning.getJobSchedulersCount()).toBe(0);
    expect(await learning.getDelayedCount()).toBe(0);
  });

  it('delivers an interval schedule to a worker, each fire a job with an id of its own, until it is removed', async () => {
    const seen: Job[] = [];
    worker = new Worker('learning', async (job) => void seen.push(job), { connection: redisConnectionFromUrl(REDIS_URL, 'worker'), prefix });
    await worker.waitUntilReady();
    await jobs.schedule('check', 'learning.check-new-labels', {}, { everyMs: 300 });
    // A second process setting the same schedule: still one scheduler, one job per fire.
    await jobs.schedule('check', 'learning.check-new-labels', {}, { everyMs: 300 });
    await until('three fires', () => seen.length >= 3);
    expect(await queues.get('learning')!.getJobSchedulersCount()).toBe(1);
    const ids = seen.map((job) => job.id!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^repeat:check:\d+$/);
    for (let i = 1; i < ids.length; i++) expect(Number(ids[i].split(':')[2]) - Number(ids[i - 1].split(':')[2])).toBe(300);
    expect(seen[0]).toMatchObject({ name: 'learning.check-new-labels', data: {}, opts: expect.objectContaining({ attempts: 1 }) });

    expect(await jobs.unschedule('check')).toBe(true);
    const afterRemoval = seen.length;
    await sleep(1_000);
    // At most a fire that was already on its way to the worker.
    expect(seen.length - afterRemoval).toBeLessThanOrEqual(1);
    expect(await queues.get('learning')!.getDelayedCount()).toBe(0);
  });

  it('answers QueueUnavailableError within its deadline when Redis does not answer', async () => {
    // A server that accepts and never answers: a half-open Redis, which only the deadline ends.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    // A connection of our own, so the test can end it (closing the queue leaves a shared one alone),
    // and soon: ioredis otherwise waits 2 s before it destroys a socket that does not close.
    const connection = new Redis({ ...(redisConnectionFromUrl(`redis://127.0.0.1:${port}`, 'producer') as RedisOptions), disconnectTimeout: 50 });
    connection.on('error', () => undefined);
    const down = new Map<QueueName, Queue>([['learning', new Queue('learning', { connection, prefix })]]);
    try {
      const unreachable = new BullmqJobQueue(down, undefined, 300);
      const started = Date.now();
      await expect(unreachable.schedule('nightly', 'learning.scheduled-train', {}, { cron: '0 2 * * *' })).rejects.toBeInstanceOf(QueueUnavailableError);
      await expect(unreachable.unschedule('nightly')).rejects.toThrow(/did not answer removing schedule nightly within 300 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await down.get('learning')!.close();
      connection.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('replaces a queue whose connection failed its start-up version check, instead of failing every call after', async () => {
    // A proxy to the real Redis that holds the replies of the first connection
    // past the command timeout: BullMQ's version check of that connection
    // times out, as it did when a loaded CI machine started an api process.
    const upstream = new URL(REDIS_URL);
    let connections = 0;
    const sockets: Socket[] = [];
    const proxy = createServer((client) => {
      const held = connections++ === 0;
      const server = connect(Number(upstream.port || 6379), upstream.hostname);
      sockets.push(client, server);
      client.pipe(server);
      if (held) server.pause();
      else server.pipe(client);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as { port: number };
    const connection: ConnectionOptions = { ...(redisConnectionFromUrl(`redis://127.0.0.1:${port}`, 'producer') as RedisOptions), commandTimeout: 300, enableReadyCheck: false } as ConnectionOptions;
    const first = new Queue('learning', { connection, prefix });
    const startFailed = expect(first.waitUntilReady()).rejects.toThrow(/timed out/);
    const jobs = new BullmqJobQueue(new Map([['learning', first]]), undefined, 5_000);
    try {
      await startFailed;
      expect(await jobs.pendingCount()).toBe(0);
      await jobs.enqueue('learning.train', { runId: 'replaced-queue' });
      expect(await jobs.pendingCount()).toBe(1);
      expect(connections).toBeGreaterThanOrEqual(2);
    } finally {
      await jobs.onApplicationShutdown();
      await first.close().catch(() => undefined);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
