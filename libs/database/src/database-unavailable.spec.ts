import { createServer, Server, Socket } from 'node:net';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { Client, Pool } from 'pg';
import { isDatabaseUnavailable } from './database-unavailable';

const SHARED_POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Real driver errors, each caught from the situation it names. */
async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection, also through Drizzle', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const pool = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/x`, connectionTimeoutMillis: 2000 });
    try {
      expect(isDatabaseUnavailable(await caught(() => pool.query('select 1')))).toBe(true);
      expect(isDatabaseUnavailable(await caught(() => drizzle(pool).execute(sql`select 1`)))).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('bounds the wait for a server that accepts but never answers (pool connect timeout)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await listen(silent);
    const pool = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/x`, connectionTimeoutMillis: 300 });
    try {
      const error = await caught(() => pool.query('select 1'));
      expect((error as Error).message).toMatch(/timeout/i);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await pool.end();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('recognises a session terminated by the server (SQLSTATE 57P01)', async () => {
    const client = new Client({ connectionString: SHARED_POSTGRES });
    client.on('error', () => undefined);
    await client.connect();
    // Ends only this test's own session.
    const error = await caught(() => client.query('select pg_terminate_backend(pg_backend_pid())'));
    expect(isDatabaseUnavailable(error)).toBe(true);
    await client.end().catch(() => undefined);
  });

  it('recognises the connection-exception class and shutdown states by SQLSTATE', () => {
    for (const code of ['08000', '08006', '08P01', '57P01', '57P02', '57P03']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
    }
  });

  it('does not take a wrong query or a constraint for an outage', async () => {
    const client = new Client({ connectionString: SHARED_POSTGRES });
    await client.connect();
    try {
      expect(isDatabaseUnavailable(await caught(() => client.query('selec 1')))).toBe(false);
      expect(isDatabaseUnavailable(await caught(() => client.query("select 'a\\u0000'::text, E'\\x00'")))).toBe(false);
      expect(isDatabaseUnavailable(await caught(() => client.query('select 1/0')))).toBe(false);
    } finally {
      await client.end();
    }
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
