import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { embeddedTemplateCopy } from '@loupe/testing';
import { PgliteStatementCache } from './pglite-prepared-statements';
import type { QueryOptions } from './pglite-thread.protocol';

jest.setTimeout(60_000);

const OBJECTS: QueryOptions = { rowMode: 'object', rawTypes: [] };

/** A real PGlite in this thread; the cache's answers are compared with PGlite's own query(). */
describe('PgliteStatementCache', () => {
  let pg: PGlite;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'loupe-pglite-cache-'));
    pg = await PGlite.create(embeddedTemplateCopy(dir));
    await pg.exec(`create table t (id int primary key, label text, doc jsonb, tags text[], at timestamptz not null default now(), n bigint)`);
  });
  afterAll(async () => {
    await pg.close();
    await rm(dir, { recursive: true, force: true });
  });

  const prepared = async () => (await pg.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements')).rows[0].n;

  it('answers as query() does, for every value type, however often a statement runs', async () => {
    const cache = new PgliteStatementCache(pg);
    const insert = 'insert into t (id, label, doc, tags, n) values ($1, $2, $3, $4, $5)';
    for (let id = 1; id <= 8; id++) {
      const written = await cache.query(insert, [id, id % 3 ? `item ${id}` : null, { id, nested: [id] }, ['a', `t${id}`], 9007199254740993n + BigInt(id)], OBJECTS, false);
      expect(written.affectedRows).toBe(1);
    }
    const select = 'select id, label, doc, tags, at, n from t where id >= $1 order by id';
    // Eight runs: past the five custom plans after which PostgreSQL may keep a generic one.
    for (let k = 0; k < 8; k++) {
      const mine = await cache.query(select, [k], { rowMode: 'object', rawTypes: [1184] }, false);
      const theirs = await pg.query(select, [k], { parsers: { 1184: (value: string) => value } });
      expect(mine.rows).toEqual(theirs.rows);
      expect(mine.fields).toEqual(theirs.fields);
    }
    const arrays = await cache.query('select id, tags from t where id = $1', [2], { rowMode: 'array', rawTypes: [] }, false);
    expect(arrays.rows).toEqual([[2, ['a', 't2']]]);
    expect(cache.size).toBe(3);
    expect(await prepared()).toBe(3);
  });

  it('keeps an error and its SQLSTATE, and the statement stays usable after it', async () => {
    const cache = new PgliteStatementCache(pg);
    const insert = 'insert into t (id) values ($1)';
    await expect(cache.query(insert, [1], OBJECTS, false)).rejects.toMatchObject({ code: '23505', constraint: 't_pkey' });
    expect((await cache.query(insert, [100], OBJECTS, false)).affectedRows).toBe(1);
    await expect(cache.query('selec 1', [], OBJECTS, false)).rejects.toMatchObject({ code: '42601' });
    expect((await cache.query('select 1 as one', [], OBJECTS, false)).rows).toEqual([{ one: 1 }]);
  });

  it('runs inside a transaction that rolls back, and its statements outlive it', async () => {
    const cache = new PgliteStatementCache(pg);
    const insert = 'insert into t (id, label) values ($1, $2)';
    await pg
      .transaction(async () => {
        await cache.query(insert, [200, 'gone'], OBJECTS, true);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect((await pg.query('select count(*)::int as n from t where id = 200')).rows).toEqual([{ n: 0 }]);
    expect((await cache.query(insert, [201, 'kept'], OBJECTS, false)).affectedRows).toBe(1);
  });

  it('closes the least recently used statements past its capacity', async () => {
    const before = await prepared();
    const cache = new PgliteStatementCache(pg, 2);
    await cache.query('select 1 as a', [], OBJECTS, false);
    await cache.query('select 2 as b', [], OBJECTS, false);
    await cache.query('select 1 as a', [], OBJECTS, false); // now the most recent
    await cache.query('select 3 as c', [], OBJECTS, false); // closes 'select 2'
    expect(cache.size).toBe(2);
    expect(await prepared()).toBe(before + 2);
    const names = (await pg.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.map((r) => r.statement);
    expect(names).toEqual(expect.arrayContaining(['select 1 as a', 'select 3 as c']));
    expect(names).not.toContain('select 2 as b');
  });
});
