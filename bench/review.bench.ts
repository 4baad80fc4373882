/*
 * Claim and decide under load: N simulated moderators, each one connection
 * running GET /v1/review/next then POST /v1/review/tasks/:id/decision in a
 * loop, against ONE api process (dist build) over PostgreSQL and Redis.
 *
 *   npm run build && npm run bench:review [-- --quick] [-- --moderators 50,200]
 *     [-- --statements prepared,unprepared] [-- --repeat 2]
 *
 * --statements runs each row with the api's repeated statements prepared
 * (the default, DATABASE_PREPARED_STATEMENTS=true) and unprepared, one after
 * the other, --repeat times, so that the two are measured side by side on the
 * same machine rather than in runs hours apart.
 *
 * Each run gets a fresh database with moderators x cycles open tasks, seeded
 * through the repositories (what routing does after classification, without
 * the model), so that the queue never runs dry while it is measured.
 * A cycle's latency runs from sending the claim to the decision's answer.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { progressBar } from '../apps/cli/src/progress';
import { ROOT } from '../test/utils/processes';
import { startBenchApi } from './bench-api';

// Nest's injection needs the decorator metadata that tsc emits and tsx does not: seed with the build.
const built = <T>(lib: string): T => require(path.join(ROOT, 'dist/libs', lib)) as T;
const { ConfigModule, LoupeConfig } = built<typeof import('@loupe/config')>('config/src/index.js');
const { ContentRepository, DatabaseModule, ReviewCaseRepository, ReviewTaskRepository } = built<typeof import('@loupe/database')>('database/src/index.js');
const { expectedHarm } = built<typeof import('@loupe/domain/review')>('domain/src/review/index.js');

const QUICK = process.argv.includes('--quick');
const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const MODERATOR_COUNTS = (arg('--moderators') ?? '50,200').split(',').map(Number);
/** Seconds a paced moderator looks at an item between claim and decision. */
const THINK_SECONDS = Number(arg('--think') ?? 5);
const POOL_SIZE = arg('--pool') ?? '10';
const SATURATION_CYCLES = QUICK ? 5 : 25;
const PACED_CYCLES = QUICK ? 2 : 10;
/** Untimed cycles first, so that JIT compilation and opening the connection pool are not measured. */
const WARMUP_MODERATORS = 20;
const WARMUP_CYCLES = QUICK ? 2 : 10;

type Mode = 'saturation' | 'paced';
type Statements = 'prepared' | 'unprepared';

interface RunResult {
  mode: Mode;
  statements: Statements;
  moderators: number;
  cycles: number;
  seconds: number;
  cyclesPerSecond: number;
  requestsPerSecond: number;
  request: { p50: number; p99: number };
  cycle: { p50: number; p99: number; max: number };
  errors: number;
}

interface CycleContext {
  started?: number;
  taskId?: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Opens `count` review tasks, as routing would after the model sent each item to review. */
export async function seed(databaseUrl: string, dataDir: string, count: number): Promise<void> {
  const config = LoupeConfig.fromEnv({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir }, 'cli');
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot()] })
  class SeedModule {}
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['warn'] });
  try {
    const contents = app.get(ContentRepository);
    const cases = app.get(ReviewCaseRepository);
    const tasks = app.get(ReviewTaskRepository);
    const bar = progressBar(`seeding ${count} tasks`, count, ' tasks');
    for (let i = 0; i < count; i++) {
      const probability = 0.6 + 0.39 * ((i * 7919) % 1000) / 1000;
      const content = await contents.create({
        kind: 'image',
        mediaSha256: randomBytes(32).toString('hex'),
        mediaPath: 'bench/none.png',
        mediaFormat: 'png',
        mediaBytes: 1,
        creatorId: `creator-${i % 97}`,
        region: 'US',
        language: 'en',
      });
      await contents.transition(content.id, ['received'], 'in_review');
      const priority = expectedHarm({ severity: 'high', probability, views: i % 5000, viewsPerHour: i % 300, reports: i % 3 });
      const row = await cases.create({
        contentId: content.id,
        queueId: 'default',
        source: 'model',
        severity: 'high',
        policyIds: ['adult_nudity'],
        reason: 'bench',
        priority,
        slaDeadline: new Date(Date.now() + 86_400_000),
        requiredReviews: 1,
        reportsCount: i % 3,
        excludedModerators: [],
        appealId: null,
      });
      await tasks.createMany([{ caseId: row.id, contentId: content.id, queue: 'default', priority, severity: 'high', seniorOnly: false, reason: 'model' }]);
      bar.update(i + 1);
    }
    bar.stop();
  } finally {
    await app.close();
  }
  // Autovacuum keeps a live database's statistics current; a bulk seed has to ask for them.
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('analyze');
  await client.end();
}

/** Saturation: one autocannon connection per moderator, claim and decide back to back with no pause. */
function saturating(url: string, key: string, cycles: number, latencies: number[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: 1,
        amount: cycles * 2,
        skipAggregateResult: true,
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        requests: [
          {
            method: 'GET',
            path: '/v1/review/next',
            setupRequest: (request, context) => {
              (context as CycleContext).started = performance.now();
              return request;
            },
            onResponse: (status, body, context) => {
              (context as CycleContext).taskId = status === 200 ? JSON.parse(body).id : undefined;
            },
          },
          {
            method: 'POST',
            // Restart the loop when the claim found nothing.
            setupRequest: (request, context) => {
              const { taskId } = context as CycleContext;
              return taskId
                ? { ...request, path: `/v1/review/tasks/${taskId}/decision`, body: JSON.stringify({ labels: [{ policyId: 'adult_nudity', violating: false }] }) }
                : (undefined as unknown as typeof request);
            },
            onResponse: (status, _body, context) => {
              if (status === 201) latencies.push(performance.now() - (context as CycleContext).started!);
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

/** Paced: a moderator claims, looks at the item for about THINK_SECONDS, decides, and claims again. */
async function paced(url: string, key: string, cycles: number, out: { requests: number[]; cycles: number[]; errors: number }): Promise<void> {
  const headers = { 'x-api-key': key, 'content-type': 'application/json' };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // Moderators start out of step, as real shifts do.
  await sleep(Math.random() * THINK_SECONDS * 1000);
  for (let i = 0; i < cycles; i++) {
    const t0 = performance.now();
    const claim = await fetch(`${url}/v1/review/next`, { headers });
    const claimMs = performance.now() - t0;
    if (claim.status !== 200) {
      out.errors++;
      await claim.text();
      return;
    }
    const task = (await claim.json()) as { id: string };
    await sleep(THINK_SECONDS * 1000 * (0.5 + Math.random()));
    const t1 = performance.now();
    const decision = await fetch(`${url}/v1/review/tasks/${task.id}/decision`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ labels: [{ policyId: 'adult_nudity', violating: false }] }),
    });
    await decision.text();
    const decideMs = performance.now() - t1;
    if (decision.status !== 201) out.errors++;
    out.requests.push(claimMs, decideMs);
    out.cycles.push(claimMs + decideMs);
  }
}

async function run(mode: Mode, moderators: number, statements: Statements): Promise<RunResult> {
  const bench = await startBenchApi('review', {
    DATABASE_PREPARED_STATEMENTS: String(statements === 'prepared'),
    // Every seeded task is high-severity: the wellbeing budget would otherwise (rightly) stop each moderator at 15.
    EXPOSURE_HOURLY_LIMIT: '1000000',
    EXPOSURE_SHIFT_LIMIT: '1000000',
    DATABASE_POOL_SIZE: POOL_SIZE,
    // --node-options '...' passes V8 flags to the api process, e.g. to try GC settings.
    ...(arg('--node-options') ? { NODE_OPTIONS: arg('--node-options')! } : {}),
  });
  const { url } = bench;
  try {
    const cycles = mode === 'saturation' ? SATURATION_CYCLES : PACED_CYCLES;
    const total = moderators * cycles;
    await seed(bench.databaseUrl, bench.dataDir, total + WARMUP_MODERATORS * WARMUP_CYCLES);
    const keys: string[] = [];
    for (let i = 0; i < moderators + WARMUP_MODERATORS; i++) keys.push(await bench.key('moderator', `moderator-${i}`));
    const warmup = keys.splice(moderators);
    await Promise.all(warmup.map((key) => saturating(url, key, WARMUP_CYCLES, [])));
    const started = performance.now();
    let requests: number[];
    let cycleTimes: number[];
    let errors: number;
    if (mode === 'saturation') {
      cycleTimes = [];
      const results = await Promise.all(keys.map((key) => saturating(url, key, cycles, cycleTimes)));
      const all = (autocannon as unknown as { aggregateResult(r: autocannon.Result[], o: object): autocannon.Result }).aggregateResult(results, { url, connections: moderators });
      requests = [all.latency.p50, all.latency.p99];
      errors = all.errors + all.non2xx + (total - cycleTimes.length);
    } else {
      const out = { requests: [] as number[], cycles: [] as number[], errors: 0 };
      await Promise.all(keys.map((key) => paced(url, key, cycles, out)));
      const sorted = out.requests.sort((a, b) => a - b);
      requests = [percentile(sorted, 50), percentile(sorted, 99)];
      cycleTimes = out.cycles;
      errors = out.errors;
    }
    const seconds = (performance.now() - started) / 1000;
    const sorted = cycleTimes.sort((a, b) => a - b);
    return {
      mode,
      statements,
      moderators,
      cycles: sorted.length,
      seconds,
      cyclesPerSecond: sorted.length / seconds,
      requestsPerSecond: (2 * sorted.length) / seconds,
      request: { p50: requests[0], p99: requests[1] },
      cycle: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] },
      errors,
    };
  } finally {
    await bench.stop();
  }
}

async function main(): Promise<void> {
  const rows: RunResult[] = [];
  const modes = (arg('--modes') ?? 'paced,saturation').split(',') as Mode[];
  const settings = (arg('--statements') ?? 'prepared').split(',') as Statements[];
  const repeat = Number(arg('--repeat') ?? 1);
  for (const mode of modes) {
    for (const moderators of MODERATOR_COUNTS) {
      for (let round = 0; round < repeat; round++) {
        for (const statements of settings) {
          const result = await run(mode, moderators, statements);
          rows.push(result);
          console.error(`${mode}, ${moderators} moderators, ${statements}: ${result.cyclesPerSecond.toFixed(0)} cycles/s, cycle p99 ${result.cycle.p99.toFixed(1)} ms`);
        }
      }
    }
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const ms = (n: number) => n.toFixed(1);
  const lines = [
    `One api process over PostgreSQL (pool of ${POOL_SIZE}) and Redis; ${os.cpus().length} cores (${cpu}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    `Paced: ${PACED_CYCLES} cycles per moderator, ${THINK_SECONDS} s (0.5-1.5x) between claim and decision. Saturation: ${SATURATION_CYCLES} cycles per moderator, no pause. Both after ${WARMUP_MODERATORS * WARMUP_CYCLES} untimed cycles.`,
    'A cycle is the claim plus the decision, not the time spent looking at the item.',
    '',
    '| mode | statements | moderators | cycles | cycles/s | requests/s | request p50 / p99 (ms) | cycle p50 / p99 / max (ms) | errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.mode} | ${r.statements} | ${r.moderators} | ${r.cycles} | ${r.cyclesPerSecond.toFixed(0)} | ${r.requestsPerSecond.toFixed(0)} | ${ms(r.request.p50)} / ${ms(r.request.p99)} | ${ms(r.cycle.p50)} / ${ms(r.cycle.p99)} / ${ms(r.cycle.max)} | ${r.errors} |`,
    ),
  ];
  console.log(lines.join('\n'));
  if (process.argv.includes('--json')) await writeFile('bench-review.json', JSON.stringify(rows, null, 2));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
