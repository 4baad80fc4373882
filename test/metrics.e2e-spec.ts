import { NestFactory } from '@nestjs/core';
import { LoupeConfig } from '@loupe/config';
import { MetricsHttpServer } from '@loupe/metrics';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { ApiClient, contentForm, freePort, isolatedQueue, makeImage, reviewEverything, startTestApp, StoreKind, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(180_000);

type Labels = Record<string, string>;

/** A series' key with its labels in name order, so a lookup does not depend on the order prom-client prints them in. */
function seriesKey(name: string, labels: Labels = {}): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return parts.length > 0 ? `${name}{${parts.join(',')}}` : name;
}

/** Prometheus's text format, parsed: every sample by its series key. Refuses a line it cannot read, so a malformed exposition fails. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`Not a sample line: ${line}`);
    const labels: Labels = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    // Prometheus reads these case-insensitively (prom-client writes "Nan", e.g. an event-loop mean with no samples yet).
    const word = match[3].toLowerCase();
    const value = word === '+inf' ? Infinity : word === '-inf' ? -Infinity : word === 'nan' ? NaN : Number(match[3]);
    if (Number.isNaN(value) && word !== 'nan') throw new Error(`Not a number: ${line}`);
    samples.set(seriesKey(match[1], labels), value);
  }
  return samples;
}

class Scrape {
  constructor(readonly samples: Map<string, number>) {}

  /** A sample's value, or undefined when the series is absent. */
  value(name: string, labels: Labels = {}): number | undefined {
    return this.samples.get(seriesKey(name, labels));
  }

  /** A counter's or histogram's growth since `before` (absent counts as 0). */
  delta(before: Scrape, name: string, labels: Labels = {}): number {
    return (this.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
  }

  /** Every series of a metric name, with its labels. */
  series(name: string): string[] {
    return [...this.samples.keys()].filter((key) => key === name || key.startsWith(`${name}{`));
  }
}

const QUEUES = ['media', 'inference', 'banks', 'webhooks', 'learning'];
const JOB_STATES = ['waiting', 'delayed', 'active', 'failed'];
const REGION = 'NZ';

describe.each<StoreKind>(['embedded', 'real'])('metrics on %s stores', (stores) => {
  let loupe: TestApp;
  let service: ApiClient;
  let analyst: ApiClient;
  let moderator: ApiClient;
  let listenerUrl: string;
  let decidedId: string;
  let uploadedAt: number;
  let decidedAt: number;
  let first: Scrape;
  let second: Scrape;

  const scrape = async (client: ApiClient = loupe.admin): Promise<Scrape> => {
    const response = await client.get('/metrics');
    expect(response.status).toBe(200);
    return new Scrape(parseExposition(response.text));
  };

  beforeAll(async () => {
    // A webhook receiver that refuses every connection: its delivery fails, and its retry waits, delayed, for ten minutes.
    const deadPort = await freePort();
    loupe = await startTestApp(stores, {
      METRICS_PORT: '0',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_BASE_MS: '600000',
      CONSENSUS_UNCERTAINTY: '0',
    });
    listenerUrl = `http://127.0.0.1:${loupe.get(MetricsHttpServer).port}/metrics`;
    service = await loupe.client('service');
    analyst = await loupe.client('analyst');
    moderator = await loupe.client('moderator');
    await reviewEverything(loupe);
    await isolatedQueue(loupe, 'metrics', REGION);
    const hook = await loupe.admin.post('/v1/webhooks', { json: { url: `http://127.0.0.1:${deadPort}/hook`, events: ['content.sent_to_review'] } });
    expect(hook.status).toBe(201);

    // One image, from upload to its decision (review, by the model), between two scrapes.
    first = await scrape();
    uploadedAt = Date.now();
    const upload = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 71 }), { region: REGION }) });
    expect(upload.status).toBe(202);
    decidedId = upload.body.id;
    const item = await waitFor(() => service.get(`/v1/contents/${decidedId}`), (r) => !['received', 'processing'].includes(r.body.status), 'the upload to be decided');
    decidedAt = Date.now();
    expect(item.body.status).toBe('in_review');
    // A job's run time is recorded when its handler returns, just after the decision it made is visible.
    second = await waitFor(scrape, (s) => s.delta(first, 'loupe_job_duration_seconds_count', { job: 'content.classify', result: 'completed' }) >= 1, 'the classify job to finish');
  });
  afterAll(() => loupe?.close());

  it('refuses a scrape without a key (401) and from roles that do not read operations (403)', async () => {
    const missing = await loupe.admin.get('/metrics', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('auth.missing_key');
    for (const client of [service, moderator]) {
      const refused = await client.get('/metrics');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('auth.forbidden_role');
    }
    const read = await analyst.get('/metrics');
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts the upload and its decision, and times it from upload to decision', () => {
    expect(second.delta(first, 'loupe_ingest_uploads_total', { kind: 'image', result: 'accepted' })).toBe(1);
    expect(second.delta(first, 'loupe_content_decisions_total', { kind: 'image', outcome: 'in_review', source: 'model' })).toBe(1);
    expect(second.delta(first, 'loupe_content_decisions_total', { kind: 'image', outcome: 'allowed', source: 'model' })).toBe(0);
    const labels = { kind: 'image', source: 'model' };
    expect(second.delta(first, 'loupe_time_to_decision_seconds_count', labels)).toBe(1);
    expect(second.delta(first, 'loupe_time_to_decision_seconds_bucket', { ...labels, le: '+Inf' })).toBe(1);
    const seconds = second.delta(first, 'loupe_time_to_decision_seconds_sum', labels);
    expect(seconds).toBeGreaterThan(0);
    // Within what the test saw (the database's clock stamped the upload: a little slack for the two clocks).
    expect(seconds).toBeLessThanOrEqual((decidedAt - uploadedAt) / 1000 + 0.5);
  });

  it('counts a refused upload by its code', async () => {
    const before = await scrape();
    const refused = await service.post('/v1/contents', { form: contentForm(Buffer.from('#!/bin/sh\necho not an image\n'.repeat(20)), {}, 'x.sh', 'bin') });
    expect(refused.status).toBe(415);
    const after = await scrape();
    expect(after.delta(before, 'loupe_ingest_uploads_total', { kind: 'unknown', result: 'refused' })).toBe(1);
    expect(after.delta(before, 'loupe_ingest_refused_total', { code: 'media.unsupported_type' })).toBe(1);
    expect(after.delta(before, 'loupe_ingest_uploads_total', { kind: 'image', result: 'accepted' })).toBe(0);
  });

  it('times the jobs, hashing, inference and the match index lookup', () => {
    for (const job of ['content.process-media', 'content.classify']) {
      expect(second.delta(first, 'loupe_job_wait_seconds_count', { job })).toBe(1);
      expect(second.delta(first, 'loupe_job_duration_seconds_count', { job, result: 'completed' })).toBe(1);
      expect(second.delta(first, 'loupe_job_failures_total', { job, final: 'false' })).toBe(0);
    }
    expect(second.delta(first, 'loupe_compute_task_duration_seconds_count', { task: 'pdq', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(second.delta(first, 'loupe_compute_task_duration_seconds_count', { task: 'classify', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(second.delta(first, 'loupe_compute_task_duration_seconds_sum', { task: 'classify', result: 'ok' })).toBeGreaterThan(0);
    // One search per image: its eight dihedral hashes go together.
    expect(second.delta(first, 'loupe_match_index_lookup_seconds_count')).toBe(1);
    expect(second.value('loupe_match_index_hashes')).toBe(0);
  });

  it('reports the depth of every job queue by state, read from the queue at the scrape', async () => {
    const now = await scrape();
    for (const queue of QUEUES) for (const state of JOB_STATES) expect(now.value('loupe_job_queue_jobs', { queue, state })).toEqual(expect.any(Number));
    // The delivery to the dead receiver failed once and waits for its retry.
    const retrying = await waitFor(scrape, (s) => s.value('loupe_job_queue_jobs', { queue: 'webhooks', state: 'delayed' }) === 1, 'the failed delivery to wait for its retry');
    expect(retrying.delta(first, 'loupe_job_failures_total', { job: 'webhooks.deliver', final: 'false' })).toBe(1);
    expect(retrying.delta(first, 'loupe_job_failures_total', { job: 'webhooks.deliver', final: 'true' })).toBe(0);
    expect(retrying.value('loupe_job_queue_jobs', { queue: 'webhooks', state: 'failed' })).toBe(0);
    for (const queue of ['media', 'inference']) {
      expect(retrying.value('loupe_job_queue_jobs', { queue, state: 'waiting' })).toBe(0);
      expect(retrying.value('loupe_job_queue_jobs', { queue, state: 'active' })).toBe(0);
    }
  });

  it('reports the review backlog per queue: tasks by state, the oldest task age, overdue cases and SLA breaches', async () => {
    const queue = 'metrics';
    const waiting = await scrape();
    expect(waiting.value('loupe_review_tasks', { queue, state: 'open' })).toBe(1);
    expect(waiting.value('loupe_review_tasks', { queue, state: 'leased' })).toBe(0);
    const age = waiting.value('loupe_review_oldest_task_age_seconds', { queue })!;
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThanOrEqual((Date.now() - uploadedAt) / 1000 + 0.5);
    expect(waiting.value('loupe_review_overdue_cases', { queue })).toBe(0);
    expect(waiting.value('loupe_review_sla_breaches_24h', { queue })).toBe(0);
    // The default queue is listed with zeros: an empty queue's series never vanish.
    expect(waiting.value('loupe_review_tasks', { queue: 'default', state: 'open' })).toBe(0);

    const claimed = await moderator.get(`/v1/review/next?queue=${queue}`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.content.id).toBe(decidedId);
    const leased = await scrape();
    expect(leased.value('loupe_review_tasks', { queue, state: 'open' })).toBe(0);
    expect(leased.value('loupe_review_tasks', { queue, state: 'leased' })).toBe(1);
  });

  it('reports the process, the backbone runtime, the collectors and the Node.js process metrics', async () => {
    const now = await scrape();
    expect(now.value('loupe_process_info', { mode: 'all', database: stores === 'real' ? 'postgres' : 'pglite', queue: stores === 'real' ? 'redis' : 'in-process' })).toBe(1);
    const runtime = loupe.config.compute.backboneRuntime;
    expect(now.value('loupe_backbone_runtime_info', { runtime, requested: runtime })).toBe(1);
    expect(now.value('loupe_backbone_fallback')).toBe(0);
    for (const collector of ['job_queue', 'review', 'match_index', 'serving', 'backbone']) expect(now.value('loupe_metrics_collector_up', { collector })).toBe(1);
    // No registry version serves yet: the baseline decides, and no series says otherwise.
    expect(now.series('loupe_model_serving')).toEqual([]);
    expect(now.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(now.series('nodejs_eventloop_lag_seconds').length).toBeGreaterThan(0);
  });

  it('serves the same registry on the METRICS_PORT listener, without a key, and nothing else there', async () => {
    const response = await fetch(listenerUrl);
    expect(response.status).toBe(200);
    const samples = new Scrape(parseExposition(await response.text()));
    expect(samples.value('loupe_ingest_uploads_total', { kind: 'image', result: 'accepted' })).toBe(1);
    expect((await fetch(listenerUrl, { method: 'POST' })).status).toBe(404);
    expect((await fetch(listenerUrl.replace('/metrics', '/health'))).status).toBe(404);
  });

  it('documents the route in OpenAPI as text', async () => {
    const docs = await loupe.admin.get('/docs/openapi.json', { key: null });
    const operation = docs.body.paths['/metrics']?.get;
    expect(Object.keys(operation?.responses?.['200']?.content ?? {})).toEqual(['text/plain']);
    expect(operation.security).toEqual([{ 'api-key': [] }]);
  });

  // A worker has no API: METRICS_PORT is how it shows its metrics. Built in this process from the worker's own module.
  // Only on PostgreSQL with Redis (an embedded database belongs to one process), and defined only there, so no run reports a skip.
  if (stores === 'real')
    it('exposes a worker\'s metrics on its METRICS_PORT, for the same queues', async () => {
    const { database, queue, compute } = loupe.config;
    if (database.kind !== 'postgres' || queue.kind !== 'redis') throw new Error('the real stores are PostgreSQL and Redis');
    const config = LoupeConfig.fromEnv(
      {
        DATABASE_URL: database.url,
        REDIS_URL: queue.url,
        QUEUE_PREFIX: queue.prefix,
        DATA_DIR: loupe.dataDir,
        LOUPE_ADMIN_KEY: loupe.admin.key!,
        LOG_LEVEL: 'error',
        TRAINING_CRON: 'off',
        TREND_SCAN_CRON: 'off',
        COMPUTE_THREADS: '1',
        INDEX_THREADS: '1',
        BACKBONE_ONNX_DIR: compute.backboneOnnxDir,
        METRICS_PORT: '0',
      },
      'worker',
    );
    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    try {
      const response = await fetch(`http://127.0.0.1:${worker.get(MetricsHttpServer).port}/metrics`);
      expect(response.status).toBe(200);
      const samples = new Scrape(parseExposition(await response.text()));
      expect(samples.value('loupe_process_info', { mode: 'worker', database: 'postgres', queue: 'redis' })).toBe(1);
      // The same Redis queues as the api process: the retrying delivery is seen from here too.
      expect(samples.value('loupe_job_queue_jobs', { queue: 'webhooks', state: 'delayed' })).toBe(1);
      expect(samples.value('loupe_review_tasks', { queue: 'metrics', state: 'leased' })).toBe(1);
      expect(samples.value('loupe_metrics_collector_up', { collector: 'serving' })).toBe(1);
      // Its own counters: it has taken no upload.
      expect(samples.value('loupe_ingest_uploads_total', { kind: 'image', result: 'accepted' })).toBeUndefined();
    } finally {
      await worker.close();
    }
  });
});
