/*
 * `npm run bench:embeddings`: storing an item's embeddings (1,280 + 256 +
 * 576 floats, the three readouts of content_embeddings) as text, the
 * `{v,v,…}` literal Loupe bound before, against the binary float4 arrays it
 * binds now (float4Array), on both databases, in alternating rounds:
 *
 * - PGlite through PgliteStatementCache, as Loupe's PGlite thread runs it;
 * - PostgreSQL through node-postgres (a database of its own on
 *   TEST_DATABASE_URL, default the machine's postgres://127.0.0.1:5432/test).
 *
 *   npm run bench:embeddings [-- --rows 300 --rounds 3]
 *
 * Each figure is wall time per insert, one at a time, with the encoding of
 * the values (the event loop's share) beside it.
 */
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';
import { PgliteStatementCache } from '../libs/database/src/pglite/pglite-prepared-statements';
import { float4Array } from '../libs/database/src/repositories/float4-array';
import { createTestDatabase } from '../test/utils/postgres';

const WIDTHS = [1280, 256, 576];
const TABLE = 'create table e (id serial primary key, pooled real[] not null, dense real[] not null, mid_gem real[] not null)';
const INSERT = 'insert into e (pooled, dense, mid_gem) values ($1::real[], $2::real[], $3::real[])';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

type Encoding = 'text' | 'binary';
const ENCODE: Record<Encoding, (values: number[]) => unknown> = {
  text: (values) => `{${values.join(',')}}`,
  binary: float4Array,
};

async function main(): Promise<void> {
  const rows = option('rows', 300);
  const rounds = option('rounds', 3);
  // Float32 values, as the backbone gives them, read out as doubles (Array.from of a Float32Array).
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 3;
  const items = Array.from({ length: rows }, () => WIDTHS.map((n) => Array.from(Float32Array.from({ length: n }, random))));

  const pg = await PGlite.create();
  await pg.exec(TABLE);
  const cache = new PgliteStatementCache(pg);
  const database = await createTestDatabase();
  const pool = new Pool({ connectionString: database.url, max: 1 });
  await pool.query(TABLE);
  const targets: Record<string, (params: unknown[]) => Promise<unknown>> = {
    PGlite: (params) => cache.query(INSERT, params, { rowMode: 'object', rawTypes: [] }, false),
    PostgreSQL: (params) => pool.query({ name: 'embeddings_insert', text: INSERT, values: params }),
  };

  console.log(`${rows} items of ${WIDTHS.join(' + ')} floats, ${rounds} rounds; ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}`);
  console.log('| database | text ms per insert | binary ms per insert | ratio | encoding ms, text / binary |');
  console.log('|---|---:|---:|---:|---|');
  for (const [name, insert] of Object.entries(targets)) {
    const total = { text: 0, binary: 0 };
    const encoding = { text: 0, binary: 0 };
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['text', 'binary'] as const) {
        const started = performance.now();
        for (const item of items) {
          const encodeStarted = performance.now();
          const params = item.map(ENCODE[kind]);
          encoding[kind] += performance.now() - encodeStarted;
          await insert(params);
        }
        total[kind] += performance.now() - started;
      }
    }
    const per = (ms: number) => ms / (rows * rounds);
    console.log(`| ${name} | ${per(total.text).toFixed(2)} | ${per(total.binary).toFixed(2)} | ${(total.text / total.binary).toFixed(1)}× | ${per(encoding.text).toFixed(2)} / ${per(encoding.binary).toFixed(3)} |`);
  }
  await pg.close();
  await pool.end();
  await database.drop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
