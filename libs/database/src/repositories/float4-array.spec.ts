import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';
import { createTestDatabase, embeddedTemplateCopy } from '@loupe/testing';
import { PgliteStatementCache } from '../pglite/pglite-prepared-statements';
import { float4Array } from './float4-array';

jest.setTimeout(60_000);

/** Float32 values of every kind a readout holds: zero, negatives, tiny and large magnitudes, and the rounding of an arbitrary double. */
const VALUES = Array.from(Float32Array.of(0, -0.5, 1.5, 3.4028234663852886e38, 1.401298464324817e-45, 0.1, -123.456, Math.PI, 2 / 3));
const INSERT = 'insert into e (v) values ($1::real[]) returning v, v = $2::real[] as same';

interface Row {
  v: number[];
  same: boolean;
}

/** Equal on the server, and read back (PostgreSQL prints a real's shortest digits) as the same float32 values. */
function expectSame(rows: Row[], values: number[]): void {
  expect(rows).toHaveLength(1);
  expect(rows[0].same).toBe(true);
  expect(Float32Array.from(rows[0].v)).toEqual(Float32Array.from(values));
}

describe('float4Array', () => {
  it('lays out one dimension, no nulls, float4 elements, each a length and four big-endian bytes', () => {
    const bytes = float4Array([1.5, -2]);
    expect([0, 4, 8, 12, 16, 20, 28].map((at) => bytes.readInt32BE(at))).toEqual([1, 0, 700, 2, 1, 4, 4]);
    expect([bytes.readFloatBE(24), bytes.readFloatBE(32)]).toEqual([1.5, -2]);
    expect(bytes.length).toBe(36);
  });

  it('writes an empty array as no dimensions', () => {
    expect([0, 4, 8].map((at) => float4Array([]).readInt32BE(at))).toEqual([0, 0, 700]);
  });

  // The same floats whether bound as bytes or as the text `{v,v,…}` (compared on the server, and as read back).
  it('stores on PGlite (through the statement cache) the floats the text would', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'loupe-float4-'));
    const pg = await PGlite.create(embeddedTemplateCopy(dir));
    try {
      await pg.exec('create table e (v real[] not null)');
      const cache = new PgliteStatementCache(pg);
      for (const values of [VALUES, []]) {
        const { rows } = await cache.query(INSERT, [float4Array(values), `{${values.join(',')}}`], { rowMode: 'object', rawTypes: [] }, false);
        expectSame(rows as Row[], values);
      }
    } finally {
      await pg.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores on PostgreSQL (node-postgres, named or not) the floats the text would', async () => {
    const database = await createTestDatabase();
    const pool = new Pool({ connectionString: database.url, max: 1 });
    try {
      await pool.query('create table e (v real[] not null)');
      for (const name of [undefined, 'float4_insert']) {
        for (const values of [VALUES, []]) {
          const { rows } = await pool.query<Row>({ text: INSERT, values: [float4Array(values), `{${values.join(',')}}`], name });
          expectSame(rows, values);
        }
      }
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});
