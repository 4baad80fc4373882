/*
 * `npm run bench:pglite`: the embedded database's hottest statements, run by
 * PGlite's own query() (a fresh parse and plan every call: how Loupe ran
 * them before) and by PgliteStatementCache (named prepared statements, as
 * Loupe's PGlite thread runs them now), in one process, on one database
 * with Loupe's schema, in alternating rounds.
 *
 *   npm run bench:pglite [-- --rows 20000 --calls 3000 --rounds 2]
 *
 * The statements are the top of pg_stat_statements on a simulated day
 * (docs/benchmarks.md, "The simulated day"): one-row reads by primary key and
 * by content id, and the guarded status update.
 */
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteStatementCache } from '../libs/database/src/pglite/pglite-prepared-statements';

const MIGRATIONS = path.join(__dirname, '..', 'libs', 'database', 'migrations');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function migrate(pg: PGlite): Promise<void> {
  const files = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) await pg.exec(await readFile(path.join(MIGRATIONS, file), 'utf8'));
}

/** A value for every NOT NULL column without a default, by type, so the bench needs no knowledge of each table. */
async function insertSql(pg: PGlite, table: string, given: Record<string, string>): Promise<string> {
  const { rows } = await pg.query<{ column_name: string; data_type: string; udt_name: string }>(
    `select column_name, data_type, udt_name from information_schema.columns
     where table_name = $1 and is_nullable = 'NO' and column_default is null order by ordinal_position`,
    [table],
  );
  const columns = { ...Object.fromEntries(rows.map((c) => [c.column_name, filler(c.data_type, c.udt_name)])), ...given };
  return `insert into ${table} (${Object.keys(columns).map((c) => `"${c}"`).join(', ')}) select ${Object.values(columns).join(', ')} from generate_series(1, $1) g`;
}

function filler(type: string, udt: string): string {
  if (type === 'ARRAY') return `'{}'::${udt.slice(1)}[]`;
  if (type === 'jsonb' || type === 'json') return `'{}'::${type}`;
  if (type.includes('timestamp')) return 'now()';
  if (type === 'uuid') return 'gen_random_uuid()';
  if (type === 'boolean') return 'false';
  if (/int|numeric|double|real/.test(type)) return '0';
  return `'x' || g`;
}

async function main(): Promise<void> {
  const rowsWanted = option('rows', 20_000);
  const calls = option('calls', 3_000);
  const rounds = option('rounds', 2);
  const pg = await PGlite.create();
  await migrate(pg);
  await pg.query(await insertSql(pg, 'contents', { status: `case when g % 10 = 0 then 'received' else 'allowed' end` }), [rowsWanted]);
  await pg.exec('analyze');
  const ids = (await pg.query<{ id: string }>('select id from contents')).rows.map((r) => r.id);
  const statements: { name: string; sql: string; params: (i: number) => unknown[] }[] = [
    { name: 'contents by id', sql: 'select * from contents where id = $1', params: (i) => [ids[i % ids.length]] },
    { name: 'hashes by content', sql: 'select * from content_hashes where content_id = $1', params: (i) => [ids[i % ids.length]] },
    { name: 'scores by content', sql: 'select * from model_scores where content_id = $1 order by created_at desc', params: (i) => [ids[i % ids.length]] },
    { name: 'decisions by content', sql: 'select * from content_decisions where content_id = $1 order by created_at', params: (i) => [ids[i % ids.length]] },
    {
      name: 'guarded status update',
      sql: 'update contents set status = $2, updated_at = now() where id = $1 and status in ($3, $4)',
      params: (i) => [ids[i % ids.length], 'allowed', 'received', 'processing'],
    },
  ];
  const cache = new PgliteStatementCache(pg);
  const options = { rowMode: 'object' as const, rawTypes: [1184] };
  const raw = { parsers: { 1184: (value: string) => value } };
  console.log(`PGlite, ${rowsWanted} contents, ${calls} calls a statement a round, ${rounds} rounds; ${os.cpus()[0]?.model}, Node ${process.version}`);
  console.log('| statement | query() µs | prepared µs | ratio |');
  console.log('|---|---:|---:|---:|');
  const totals = { plain: 0, prepared: 0 };
  for (const statement of statements) {
    let plain = 0;
    let prepared = 0;
    for (let round = 0; round < rounds; round++) {
      let started = performance.now();
      for (let i = 0; i < calls; i++) await pg.query(statement.sql, statement.params(i), raw);
      plain += performance.now() - started;
      started = performance.now();
      for (let i = 0; i < calls; i++) await cache.query(statement.sql, statement.params(i), options, false);
      prepared += performance.now() - started;
    }
    const per = (ms: number) => (ms / (calls * rounds)) * 1000;
    totals.plain += plain;
    totals.prepared += prepared;
    console.log(`| ${statement.name} | ${per(plain).toFixed(0)} | ${per(prepared).toFixed(0)} | ${(plain / prepared).toFixed(2)}× |`);
  }
  console.log(`| all | ${((totals.plain / (calls * rounds * statements.length)) * 1000).toFixed(0)} | ${((totals.prepared / (calls * rounds * statements.length)) * 1000).toFixed(0)} | ${(totals.plain / totals.prepared).toFixed(2)}× |`);
  await pg.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
