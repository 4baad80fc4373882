import type { Pool } from 'pg';
import { createTestDatabase } from '@loupe/testing';
import { DatabaseConnection } from './database-connection';

jest.setTimeout(60_000);

describe('DatabaseConnection on PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('closes even when a client it lent never comes back', async () => {
    const connection = await DatabaseConnection.open({ kind: 'postgres', url: database.url, poolSize: 2, migrationUrl: null, connectTimeoutMs: 5_000, preparedStatements: true });
    // A caller that lost its client on an error path: pool.end() alone would wait for it for good.
    const pool = (connection.db as unknown as { $client: Pool }).$client;
    const lent = await pool.connect();
    const warn = jest.spyOn((DatabaseConnection as unknown as { logger: { warn(message: string): void } }).logger, 'warn').mockImplementation(() => undefined);
    try {
      await connection.close();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('1 PostgreSQL client(s) still lent'));
    } finally {
      warn.mockRestore();
      lent.release(true);
    }
  });
});
