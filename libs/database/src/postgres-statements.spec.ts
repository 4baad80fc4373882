import { Pool } from 'pg';
import { createTestDatabase } from '@loupe/testing';
import { preparingClient, StatementNames } from './postgres-statements';

jest.setTimeout(60_000);

describe('StatementNames', () => {
  it('names a text the second time it is seen, the same name for every connection', () => {
    const names = new StatementNames();
    const [a, b] = [new Set<string>(), new Set<string>()];
    expect(names.nameFor('select $1', a)).toBeUndefined();
    const name = names.nameFor('select $1', a);
    expect(name).toMatch(/^loupe_\d+$/);
    expect(names.nameFor('select $1', b)).toBe(name);
    expect(names.nameFor('select $1::int', a)).toBeUndefined();
  });

  it('keeps at most its limit of statements per connection, and sends the rest unnamed', () => {
    const names = new StatementNames({ remembered: 100, perConnection: 2 });
    const connection = new Set<string>();
    const texts = ['select $1', 'select $1 + 1', 'select $1 + 2'];
    for (const text of [...texts, ...texts]) names.nameFor(text, connection);
    expect(connection.size).toBe(2);
    expect(names.nameFor('select $1 + 2', connection)).toBeUndefined();
    expect(names.nameFor('select $1', connection)).toBeDefined();
  });

  it('never names a refused text again', () => {
    const names = new StatementNames();
    const connection = new Set<string>();
    names.nameFor('select * from t where id = $1', connection);
    names.refuse('select * from t where id = $1');
    expect(names.nameFor('select * from t where id = $1', connection)).toBeUndefined();
    expect(names.nameFor('select * from t where id = $1', connection)).toBeUndefined();
  });
});

describe('a preparing client on PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so that every query below meets the statements the earlier ones prepared.
    pool = new Pool({ connectionString: database.url, max: 1, Client: preparingClient(new StatementNames()) });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const prepared = async () =>
    (await pool.query<{ statement: string }>('select statement from pg_prepared_statements order by statement')).rows.map((row) => row.statement);

  it('prepares a statement the process repeats, once, and answers as before', async () => {
    const config = { text: 'select $1::int + 1 as n', values: [1] };
    expect((await pool.query(config)).rows).toEqual([{ n: 2 }]);
    expect(await prepared()).toEqual([]);
    expect((await pool.query(config)).rows).toEqual([{ n: 2 }]);
    expect((await pool.query({ ...config, values: [41] })).rows).toEqual([{ n: 42 }]);
    expect(await prepared()).toEqual(['select $1::int + 1 as n']);
  });

  it('leaves a text without parameters alone, so several statements in one still run', async () => {
    for (let i = 0; i < 3; i++) await pool.query('create table if not exists twice (id int); select 1');
    expect(await prepared()).not.toContain('create table if not exists twice (id int); select 1');
  });

  it('sends a statement unnamed from the moment a migration changed its result type', async () => {
    await pool.query('create table shifting (id int primary key)');
    await pool.query('insert into shifting values (1)');
    const read = () => pool.query({ text: 'select * from shifting where id = $1', values: [1] });
    await read();
    expect((await read()).rows).toEqual([{ id: 1 }]);
    await pool.query('alter table shifting add column note text');
    // PostgreSQL refuses the prepared statement once; the client forgets it, and the retry goes unnamed.
    await expect(read()).rejects.toMatchObject({ code: '0A000' });
    expect((await read()).rows).toEqual([{ id: 1, note: null }]);
    expect((await read()).rows).toEqual([{ id: 1, note: null }]);
  });
});
