/*
 * The analyst reports on a platform-sized history (issue 10): seconds to
 * compute each report over one quarter with a million contents and 100,000
 * training labels, against ONE api process (dist build) over PostgreSQL.
 *
 *   npm run bench:reports [-- --quick] [-- --contents 1000000 --labels 100000]
 *
 * A fresh database is seeded with plain SQL (insert … select … from
 * generate_series): contents over 2026-Q4, their first routing decisions
 * (bank, model), model scores, perceptual hashes, user reports, review cases
 * with their tasks and moderators' decisions (consensus cases reviewed by three),
 * gold items and gold checks, training labels, appeals (some overturned) and view samples.
 * Then each report is called once to warm up and three times timed, beside
 * the floor of a plain count(*) over contents and content_decisions.
 *
 * BENCH_KEEP_DB=1 keeps the database (its URL is printed) for EXPLAIN ANALYZE;
 * BENCH_CPU_PROF=<dir> writes a CPU profile of the api process there;
 * --database <url> times the reports again on such a kept database, without
 * seeding; --reports misses,accuracy times only those; --cap 600 abandons a
 * call unanswered after that many seconds (and cancels its queries).
 */
import http from 'node:http';
import os from 'node:os';
import { Client } from 'pg';
import { startBenchApi } from './bench-api';
import { median, PERIOD, round, SCAN_UNTIL, seed, tableRows } from './reports-seed';

const QUICK = process.argv.includes('--quick');
const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const CONTENTS = Number(arg('--contents') ?? (QUICK ? 100_000 : 1_000_000));
const LABELS = Number(arg('--labels') ?? (QUICK ? 10_000 : 100_000));
/** A database seeded by an earlier run (BENCH_KEEP_DB=1): time the reports on it again. */
const REUSE_URL = arg('--database');
/** --reports misses,accuracy times only those. */
const ONLY = arg('--reports')?.split(',');
const TIMED_CALLS = 3;
/** A call still unanswered after this many seconds is abandoned, and the report's other calls skipped. */
const CAP_SECONDS = Number(arg('--cap') ?? 600);
const TARGET_SECONDS = 5;
const NEW_REMOVALS = 1_000;
/** Moderators remove items the model had let through, inside the period: misses the rollup has not seen. */
const NEW_REMOVALS_SQL = `
  insert into content_decisions (content_id, outcome, source, reason, policy_ids, created_at)
  select d.content_id, 'removed', 'human', 'bench: a late removal', '{adult_nudity}', d.created_at + interval '2 days'
  from content_decisions d
  where d.outcome = 'allowed' and d.source = 'model' and d.created_at < '2026-12-20'
    and not exists (select 1 from content_decisions r where r.content_id = d.content_id and r.outcome = 'removed')
  limit ${NEW_REMOVALS}`;

interface Report {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** What the answer counts, so one can see it computed something. */
  rows(answer: Record<string, unknown>): number;
  rowsOf: string;
}

const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
const REPORTS: Report[] = [
  { name: 'transparency', method: 'GET', path: `/v1/analysis/transparency?period=${PERIOD}`, rows: (a) => length(a.rows), rowsOf: 'rows (policy x country)' },
  { name: 'misses', method: 'GET', path: `/v1/analysis/misses?period=${PERIOD}`, rows: (a) => length(a.items), rowsOf: 'missed items' },
  { name: 'accuracy', method: 'GET', path: `/v1/analysis/accuracy?period=${PERIOD}`, rows: (a) => length(a.moderators), rowsOf: 'moderator x policy rows' },
  { name: 'trends/scan', method: 'POST', path: '/v1/analysis/trends/scan', body: { until: SCAN_UNTIL }, rows: (a) => Number(a.flaggedItems ?? 0), rowsOf: 'flagged items in 72 h' },
  { name: 'trends/top-terms', method: 'GET', path: `/v1/analysis/trends/top-terms?period=${PERIOD}`, rows: (a) => length(a.rows), rowsOf: 'terms' },
];

interface ReportResult {
  report: string;
  /** 'timeout': no answer within --cap seconds. */
  status: number | 'timeout';
  rows: number;
  rowsOf: string;
  extra?: Record<string, unknown>;
  seconds: { median: number | null; max: number | null; runs: number[]; abandonedAfter?: number };
  ratioToFloor: number | null;
  targetMet: boolean;
}

/** Over HTTP without a client timeout (fetch gives up after 300 s); null when it ran past `capSeconds` and was abandoned. */
function call(url: string, key: string, report: Report, capSeconds: number): Promise<{ seconds: number; status: number; answer: Record<string, unknown> } | null> {
  const t0 = performance.now();
  const body = report.body === undefined ? undefined : JSON.stringify(report.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}${report.path}`,
      { method: report.method, headers: { 'x-api-key': key, 'content-type': 'application/json', ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          clearTimeout(timer);
          const seconds = (performance.now() - t0) / 1000;
          const text = Buffer.concat(chunks).toString('utf8');
          let answer: Record<string, unknown>;
          try {
            answer = JSON.parse(text) as Record<string, unknown>;
          } catch {
            answer = { text: text.slice(0, 200) };
          }
          resolve({ seconds, status: response.statusCode ?? 0, answer });
        });
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      resolve(null);
    }, capSeconds * 1000);
    request.on('error', (error) => {
      clearTimeout(timer);
      if (request.destroyed && performance.now() - t0 >= capSeconds * 1000) resolve(null);
      else reject(error);
    });
    if (body) request.write(body);
    request.end();
  });
}

/** Cancels what the api is still running in this database after a call was abandoned, so it does not slow the next report. */
async function cancelQueries(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'active'`);
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function runQuery(databaseUrl: string, query: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function timeQuery(databaseUrl: string, query: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(query);
    const runs: number[] = [];
    for (let i = 0; i < TIMED_CALLS; i++) {
      const t0 = performance.now();
      await client.query(query);
      runs.push((performance.now() - t0) / 1000);
    }
    return median(runs);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  // The api migrates the database and loads the policy catalog at boot; the seed comes after.
  const api = await startBenchApi('reports', {}, { databaseUrl: REUSE_URL, attempts: 5 });
  const database = { url: api.databaseUrl };
  const keep = process.env.BENCH_KEEP_DB === '1' || REUSE_URL !== undefined;
  const { url, adminKey } = api;
  try {
    let seeded: { seconds: number; rows: Record<string, number> };
    if (REUSE_URL) {
      const client = new Client({ connectionString: REUSE_URL });
      await client.connect();
      seeded = { seconds: 0, rows: await tableRows(client).finally(() => client.end()) };
    } else {
      console.error(`seeding ${CONTENTS} contents and ${LABELS} labels over ${PERIOD}…`);
      seeded = await seed(database.url, CONTENTS, LABELS);
    }
    console.error(`seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.rows)}`);
    const contents = seeded.rows.contents;
    const labels = seeded.rows.training_labels;

    const created = await fetch(`${url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench-analyst', role: 'analyst' }),
    });
    if (created.status !== 201) throw new Error(`analyst key: ${created.status} ${await created.text()}`);
    const analystKey = ((await created.json()) as { key: string }).key;

    const floor = {
      countContents: await timeQuery(database.url, 'select count(*) from contents'),
      countDecisions: await timeQuery(database.url, 'select count(*) from content_decisions'),
    };
    console.error(`floor: count(*) contents ${floor.countContents.toFixed(3)} s, content_decisions ${floor.countDecisions.toFixed(3)} s`);

    const results: ReportResult[] = [];
    for (const report of REPORTS.filter((r) => !ONLY || ONLY.includes(r.name))) {
      const runs: number[] = [];
      let warmUp: number | null = null;
      let last: Awaited<ReturnType<typeof call>> = null;
      // One warm-up, then the timed calls; a call past the cap is abandoned and ends the report's runs.
      for (let i = 0; i <= TIMED_CALLS; i++) {
        last = await call(url, analystKey, report, CAP_SECONDS);
        if (!last) break;
        if (i > 0) runs.push(last.seconds);
        else warmUp = last.seconds;
        if (i === 0 && last.status >= 400) console.error(`${report.name}: HTTP ${last.status} ${JSON.stringify(last.answer).slice(0, 500)}`);
      }
      if (!last) {
        const cancelled = await cancelQueries(database.url);
        console.error(`${report.name}: no answer within ${CAP_SECONDS} s, abandoned (${cancelled} running queries cancelled)`);
        results.push({
          report: report.name,
          status: 'timeout',
          rows: 0,
          rowsOf: report.rowsOf,
          seconds: { median: runs.length > 0 ? round(median(runs)) : null, max: null, runs: runs.map((r) => round(r)), abandonedAfter: CAP_SECONDS },
          ratioToFloor: null,
          targetMet: false,
        });
        continue;
      }
      const med = median(runs);
      const extra: Record<string, unknown> = {};
      // The first call folds in what the rollup did not hold yet (on a database seeded past it: everything).
      if (warmUp !== null) extra.firstCallSeconds = round(warmUp);
      if (report.name === 'misses') {
        extra.totals = last.answer.totals;
        // An incremental rollup should cost what changed: 1,000 new removals, then one more call.
        await runQuery(database.url, NEW_REMOVALS_SQL);
        const after = await call(url, analystKey, report, CAP_SECONDS);
        if (after) extra.afterNewRemovals = { removals: NEW_REMOVALS, seconds: round(after.seconds), violations: (after.answer.totals as { violations?: number })?.violations };
      }
      if (report.name === 'accuracy') extra.pairs = length(last.answer.pairs);
      if (report.name === 'trends/scan') extra.alerts = (last.answer.alerts as { subject: string }[] | undefined)?.map((a) => a.subject);
      results.push({
        report: report.name,
        status: last.status,
        rows: report.rows(last.answer),
        rowsOf: report.rowsOf,
        ...(Object.keys(extra).length > 0 ? { extra } : {}),
        seconds: { median: round(med), max: round(Math.max(...runs)), runs: runs.map((r) => round(r)) },
        ratioToFloor: round(med / floor.countContents, 1),
        targetMet: last.status < 400 && med < TARGET_SECONDS,
      });
      console.error(`${report.name}: HTTP ${last.status}, median ${med.toFixed(2)} s, max ${Math.max(...runs).toFixed(2)} s, ${report.rows(last.answer)} ${report.rowsOf}`);
    }

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const lines = [
      `One api process over PostgreSQL; ${os.cpus().length} cores (${cpu}), Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z.`,
      `${contents} contents and ${labels} training labels over ${PERIOD}, ${REUSE_URL ? 'seeded by an earlier run' : `seeded in ${seeded.seconds.toFixed(0)} s`}. One warm-up call, then ${TIMED_CALLS} timed.`,
      `Floor: select count(*) from contents ${floor.countContents.toFixed(3)} s, from content_decisions ${floor.countDecisions.toFixed(3)} s.`,
      '',
      `| report | status | rows | median (s) | max (s) | x count(*) contents | under ${TARGET_SECONDS} s |`,
      '|---|---|---|---|---|---|---|',
      ...results.map((r) =>
        r.status === 'timeout'
          ? `| ${r.report} | no answer in ${CAP_SECONDS} s | - | > ${CAP_SECONDS} | - | > ${round(CAP_SECONDS / floor.countContents, 0)} | no |`
          : `| ${r.report} | ${r.status} | ${r.rows} ${r.rowsOf} | ${r.seconds.median!.toFixed(2)} | ${r.seconds.max!.toFixed(2)} | ${r.ratioToFloor} | ${r.targetMet ? 'yes' : 'no'} |`,
      ),
    ];
    console.log(lines.join('\n'));
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: { cores: os.cpus().length, cpu, node: process.version },
          contents,
          labels,
          seedSeconds: round(seeded.seconds, 1),
          seededRows: seeded.rows,
          floorSeconds: { countContents: round(floor.countContents, 4), countDecisions: round(floor.countDecisions, 4) },
          targetSeconds: TARGET_SECONDS,
          reports: results,
          ...(keep ? { databaseUrl: database.url } : {}),
        },
        null,
        2,
      ),
    );
  } finally {
    await api.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
