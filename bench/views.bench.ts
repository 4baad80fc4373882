/*
 * View ingestion: events per second through POST /v1/views (bulk) against
 * ONE api process (dist build) on PostgreSQL and Redis, with the
 * single-item endpoint (POST /v1/contents/:id/views) in the same run as the
 * reference.
 *
 *   npm run build && npm run bench:views [-- --quick] [-- --batch 5000] [-- --connections 4]
 *
 * Every event is a new cumulative count for one of ITEMS allowed items, an
 * hour after the last, so each is applied (a sample written, reach moved)
 * and a share of them cross virality tiers (a tier row and a queued job).
 */
import { Client } from 'pg';
import { progressBar } from '../apps/cli/src/progress';
import { startBenchApi } from './bench-api';

const QUICK = process.argv.includes('--quick');
const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const ITEMS = Number(arg('--items') ?? (QUICK ? 5_000 : 20_000));
const BATCH = Number(arg('--batch') ?? 5_000);
const CONNECTIONS = Number(arg('--connections') ?? 4);
const ROUNDS = Number(arg('--rounds') ?? (QUICK ? 4 : 10));
const SINGLE_EVENTS = QUICK ? 1_000 : 4_000;
const HOUR = 3600_000;

async function seedItems(databaseUrl: string, count: number): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Allowed items uploaded a day ago: what the platform's counters report on.
    const result = await client.query<{ id: string }>(
      `insert into contents (kind, status, media_sha256, media_path, media_format, media_bytes, creator_id, region, language, posted_at, created_at)
       select 'image', 'allowed', md5(i::text), 'bench/none.png', 'png', 1, 'creator', 'US', 'en', now() - interval '1 day', now() - interval '1 day'
       from generate_series(1, $1) as i returning id`,
      [count],
    );
    await client.query('analyze');
    return result.rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

async function post(url: string, key: string, route: string, body: unknown): Promise<number> {
  // Bodies may come ready-made, so that the client's own JSON work is not measured against the server.
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: text });
  await response.arrayBuffer();
  return response.status;
}

async function main(): Promise<void> {
  const bench = await startBenchApi('views', { VIEWS_BATCH_MAX: String(Math.max(BATCH, 10_000)) });
  const { url } = bench;
  try {
    const ids = await seedItems(bench.databaseUrl, ITEMS);
    const key = await bench.key('service', 'platform');
    const base = Date.now();
    // Round r counts every item once, an hour after round r-1; views grow unevenly, so some items cross tiers.
    const event = (round: number, i: number) => ({ contentId: ids[i], views: (round + 1) * (100 + ((i * 7919) % 5000)), observedAt: new Date(base + round * HOUR).toISOString() });

    // Warm-up round, not measured: JIT, pools, the planner.
    for (let i = 0; i < ITEMS; i += BATCH) await post(url, key, '/v1/views', { events: Array.from({ length: Math.min(BATCH, ITEMS - i) }, (_, j) => event(0, i + j)) });

    const total = (ROUNDS - 1) * ITEMS;
    const bar = progressBar(`bulk: ${total} events, batches of ${BATCH}, ${CONNECTIONS} connections`, total, ' events');
    const batches: Array<{ body: string; size: number }> = [];
    for (let round = 1; round < ROUNDS; round++) {
      for (let i = 0; i < ITEMS; i += BATCH) {
        const events = Array.from({ length: Math.min(BATCH, ITEMS - i) }, (_, j) => event(round, i + j));
        batches.push({ body: JSON.stringify({ events }), size: events.length });
      }
    }
    let sent = 0;
    let errors = 0;
    const started = performance.now();
    // Rounds stay in order per item: a connection takes the next batch only after its earlier ones, and
    // batches of one round never share items, so an item's counts arrive in time order.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          if ((await post(url, key, '/v1/views', batch.body)) !== 200) errors++;
          sent += batch.size;
          bar.update(sent);
        }
      }),
    );
    const bulkSeconds = (performance.now() - started) / 1000;
    bar.stop();

    const singleBar = progressBar(`single-item: ${SINGLE_EVENTS} events, ${CONNECTIONS * 4} connections`, SINGLE_EVENTS, ' events');
    let singleNext = 0;
    let singleErrors = 0;
    const singleStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS * 4 }, async () => {
        while (singleNext < SINGLE_EVENTS) {
          const i = singleNext++;
          const e = event(ROUNDS, i % ITEMS);
          if ((await post(url, key, `/v1/contents/${e.contentId}/views`, { views: e.views, observedAt: e.observedAt })) !== 201) singleErrors++;
          singleBar.update(i + 1);
        }
      }),
    );
    const singleSeconds = (performance.now() - singleStarted) / 1000;
    singleBar.stop();

    const client = new Client({ connectionString: bench.databaseUrl });
    await client.connect();
    const samples = Number((await client.query('select count(*) from content_view_samples')).rows[0].count);
    const tiers = Number((await client.query('select count(*) from content_virality_tiers')).rows[0].count);
    await client.end();
    const bulkRate = total / bulkSeconds;
    const singleRate = SINGLE_EVENTS / singleSeconds;
    console.log(
      JSON.stringify(
        {
          items: ITEMS,
          batch: BATCH,
          connections: CONNECTIONS,
          bulk: { events: total, seconds: +bulkSeconds.toFixed(2), eventsPerSecond: Math.round(bulkRate), errors },
          single: { events: SINGLE_EVENTS, seconds: +singleSeconds.toFixed(2), eventsPerSecond: Math.round(singleRate), errors: singleErrors },
          ratio: +(bulkRate / singleRate).toFixed(1),
          stored: { samples, tiersCrossed: tiers },
        },
        null,
        2,
      ),
    );
  } finally {
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
