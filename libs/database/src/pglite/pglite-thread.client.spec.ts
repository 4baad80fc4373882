import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import type { PGlite } from '@electric-sql/pglite';
import { PgliteThreadClient } from './pglite-thread.client';

jest.setTimeout(60_000);

/** A real PGlite on its thread, with a one-table migration folder of its own. */
describe('PgliteThreadClient', () => {
  let dir: string;
  let client: PgliteThreadClient;
  let db: ReturnType<typeof drizzle>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'loupe-pglite-thread-'));
    const migrations = path.join(dir, 'migrations');
    await mkdir(path.join(migrations, 'meta'), { recursive: true });
    await writeFile(path.join(migrations, '0000_t.sql'), 'create table t (id int primary key, at timestamptz not null default now(), doc jsonb, n bigint);');
    await writeFile(
      path.join(migrations, 'meta', '_journal.json'),
      JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1, tag: '0000_t', breakpoints: true }] }),
    );
    client = await PgliteThreadClient.start({ dataDir: path.join(dir, 'data'), migrationsFolder: migrations });
    db = drizzle({ client: client as unknown as PGlite });
  });

  afterAll(async () => {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  const count = async () => ((await db.execute(sql`select count(*)::int as n from t`)) as unknown as { rows: { n: number }[] }).rows[0].n;

  it('migrates on the thread and answers queries with parsed values', async () => {
    await db.execute(sql`insert into t (id, doc, n) values (1, ${JSON.stringify({ a: [1, 2] })}::jsonb, 9007199254740993)`);
    const { rows } = (await db.execute(sql`select id, doc, n, at from t where id = 1`)) as unknown as { rows: Record<string, unknown>[] };
    expect(rows[0].id).toBe(1);
    expect(rows[0].doc).toEqual({ a: [1, 2] });
    expect(rows[0].n).toBe(9007199254740993n);
    // Drizzle asks for timestamps as text (its identity parsers cross the thread as type ids).
    expect(typeof rows[0].at).toBe('string');
  });

  it("keeps a database error's SQLSTATE code and constraint", async () => {
    const error = await db.execute(sql`insert into t (id) values (1)`).catch((e: unknown) => e as Error & { cause?: Record<string, unknown> });
    const cause = (error as { cause?: Record<string, unknown> }).cause ?? (error as unknown as Record<string, unknown>);
    expect(cause.code).toBe('23505');
    expect(cause.constraint).toBe('t_pkey');
  });

  it('commits a transaction, rolls back one that throws, and nests savepoints', async () => {
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into t (id) values (2)`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into t (id) values (3)`);
          throw new Error('inner fails');
        })
        .catch(() => undefined);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into t (id) values (4)`);
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    const { rows } = (await db.execute(sql`select id from t order by id`)) as unknown as { rows: { id: number }[] };
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('holds other queries until an open transaction ends, as PGlite does', async () => {
    const before = await count();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inTx = db.transaction(async (tx) => {
      await tx.execute(sql`insert into t (id) values (10)`);
      await gate;
    });
    // Outside the transaction: waits for it, then sees its row.
    const seen = count();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await inTx;
    expect(await seen).toBe(before + 1);
  });

  it('writes pg_stat_statements, planning time included, when asked (PGLITE_STATEMENT_STATS), and counts no migration', async () => {
    const file = path.join(dir, 'statements.json');
    const other = await PgliteThreadClient.start({ dataDir: null, migrationsFolder: path.join(dir, 'migrations'), statementStatsFile: file });
    for (let k = 0; k < 3; k++) await other.query('select count(*) from t where id > $1', [k]);
    await other.close();
    const rows = JSON.parse(await readFile(file, 'utf8')) as { calls: number; exec_ms: number; plan_ms: number; query: string }[];
    const mine = rows.find((row) => row.query === 'select count(*) from t where id > $1');
    expect(mine).toMatchObject({ calls: 3 });
    expect(mine!.plan_ms).toBeGreaterThan(0);
    expect(rows.some((row) => /create table/i.test(row.query))).toBe(false);
  });

  it("runs with the buffer cache it is given (PGLITE_SHARED_BUFFERS), the data directory's without one, and fails cleanly after close", async () => {
    const buffers = async (on: PgliteThreadClient) => ((await on.query('show shared_buffers')).rows[0] as { shared_buffers: string }).shared_buffers;
    expect(await buffers(client)).toBe('128MB');
    // The same directory reopened with and without it, not a database in memory: a new one runs initdb (3 to 5 s of CPU).
    const data = { dataDir: path.join(dir, 'data'), migrationsFolder: path.join(dir, 'migrations') };
    await client.close();
    const other = await PgliteThreadClient.start({ ...data, sharedBuffers: '16MB' });
    try {
      expect(await buffers(other)).toBe('16MB');
    } finally {
      await other.close();
    }
    await expect(other.query('select 1')).rejects.toThrow('closed');
    client = await PgliteThreadClient.start(data);
    expect(await buffers(client)).toBe('128MB');
  });
});
