/*
 * The seed of bench/reports.bench.ts: a quarter of platform history in plain SQL, table by table.
 */
import { Client } from 'pg';
import { progressBar } from '../apps/cli/src/progress';
import { plannedCounts, POLICY_WEIGHTS, seedSteps, sqlText } from './reports-seed-steps';

export { BURST_HOUR, BURST_TAG, PERIOD, PERIOD_DAYS, PERIOD_FROM, SCAN_UNTIL } from './reports-seed-steps';

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const round = (n: number, digits = 3) => Number(n.toFixed(digits));

const COUNTED_TABLES = [
  'contents',
  'content_decisions',
  'model_scores',
  'content_hashes',
  'content_reports',
  'review_cases',
  'review_tasks',
  'review_decisions',
  'training_labels',
  'gold_items',
  'appeals',
  'content_view_samples',
  'content_matches',
];

export async function tableRows(client: Client): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of COUNTED_TABLES) rows[table] = Number((await client.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0].n);
  return rows;
}

export async function seed(databaseUrl: string, n: number, labels: number): Promise<{ seconds: number; rows: Record<string, number> }> {
  const started = performance.now();
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const policies = (await client.query<{ id: string; review_threshold: number; remove_threshold: number }>('select id, review_threshold, remove_threshold from policies')).rows;
    const known = new Set(policies.map((p) => p.id));
    const weights = POLICY_WEIGHTS.filter(([id]) => known.has(id));
    if (weights.length === 0) throw new Error('the policy catalog was not seeded');
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let cumulative = 0;
    const policyCase = `case ${weights
      .slice(0, -1)
      .map(([id, w]) => `when q.rp < ${(cumulative += w) / total} then ${sqlText(id)}`)
      .join(' ')} else ${sqlText(weights.at(-1)![0])} end`;
    const thresholds = JSON.stringify(Object.fromEntries(policies.map((p) => [p.id, { review: p.review_threshold, remove: p.remove_threshold }])));
    const counts = plannedCounts(n, labels);
    const steps = seedSteps(n, counts, policyCase);
    const bar = progressBar(`seeding ${n} contents, ${labels} labels`, steps.length, ' tables');
    for (const [index, step] of steps.entries()) {
      const t0 = performance.now();
      for (const statement of step.sql) await client.query(statement, statement.includes('$1') ? [thresholds] : []);
      bar.update(index + 1);
      if (!process.stderr.isTTY) console.error(`  ${step.table}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    bar.stop();
    return { seconds: (performance.now() - started) / 1000, rows: await tableRows(client) };
  } finally {
    await client.end();
  }
}

