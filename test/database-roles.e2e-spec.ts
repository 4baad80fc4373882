import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { contentForm, makeImage, startTestApp, TEST_POSTGRES_URL, TEST_REDIS_URL, TestApp, waitFor } from '@loupe/testing';

jest.setTimeout(180_000);

function urlFor(role: string, database: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.username = role;
  url.password = '';
  url.pathname = `/${database}`;
  return url.toString();
}

async function asRole<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE and message a statement fails with, or 'ok'. */
async function outcome(client: Client, statement: string): Promise<string> {
  try {
    await client.query(statement);
    return 'ok';
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return `${code} ${message}`;
  }
}

/**
 * Production as README describes it: one role owns the schema and migrates
 * (DATABASE_MIGRATION_URL), another serves (DATABASE_URL) and owns nothing.
 * The test server's roles are trusted, so neither needs a password.
 */
describe('a serving role separate from the owner (PostgreSQL)', () => {
  const suffix = randomBytes(5).toString('hex');
  const owner = `loupe_owner_${suffix}`;
  const serving = `loupe_serving_${suffix}`;
  const database = `loupe_test_roles_${suffix}`;
  const ownerUrl = urlFor(owner, database);
  const servingUrl = urlFor(serving, database);
  let loupe: TestApp | undefined;

  beforeAll(async () => {
    await asRole(TEST_POSTGRES_URL, async (admin) => {
      await admin.query(`create role ${owner} login`);
      await admin.query(`create role ${serving} login`);
      await admin.query(`create database ${database} owner ${owner}`);
    });
    // 'embedded' only names the harness's defaults; every store is overridden here: PostgreSQL and Redis.
    loupe = await startTestApp('embedded', {
      DATABASE_URL: servingUrl,
      DATABASE_MIGRATION_URL: ownerUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `loupe-roles-${suffix}`,
    });
  });

  afterAll(async () => {
    await loupe?.close();
    await asRole(TEST_POSTGRES_URL, async (admin) => {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.query(`drop role if exists ${serving}`);
      await admin.query(`drop role if exists ${owner}`);
    });
  });

  it('serves end to end: an image is ingested, processed and audited', async () => {
    const service = await loupe!.client('service');
    const uploaded = await service.post('/v1/contents', { form: contentForm(await makeImage({ seed: 501 })) });
    expect(uploaded.status).toBe(202);
    const settled = await waitFor(
      async () => (await service.get(`/v1/contents/${uploaded.body.id}`)).body,
      (c) => !['received', 'processing'].includes(c.status),
      'the upload to settle',
    );
    expect(['allowed', 'in_review']).toContain(settled.status);
    const audit = await loupe!.admin.get(`/v1/audit?action=content.ingest&entityId=${uploaded.body.id}`);
    expect(audit.body).toHaveLength(1);
  });

  it('leaves the schema to the owner', async () => {
    const tables = await asRole(servingUrl, (c) => c.query(`select tablename, tableowner from pg_tables where schemaname = 'public'`));
    expect(tables.rows.length).toBeGreaterThan(10);
    expect(new Set(tables.rows.map((r) => r.tableowner))).toEqual(new Set([owner]));
  });

  it('lets the serving role read and append audit events, never change them or their trigger', async () => {
    await asRole(servingUrl, async (client) => {
      expect(await outcome(client, `insert into audit_events (action, entity_type, entity_id) values ('test.append', 'test', '1')`)).toBe('ok');
      expect((await client.query(`select count(*)::int as n from audit_events`)).rows[0].n).toBeGreaterThan(0);
      // 42501: insufficient privilege, refused before the trigger would be reached.
      expect(await outcome(client, `update audit_events set action = 'rewritten'`)).toMatch(/^42501 permission denied for table audit_events/);
      expect(await outcome(client, `delete from audit_events`)).toMatch(/^42501 permission denied for table audit_events/);
      expect(await outcome(client, `truncate audit_events`)).toMatch(/^42501 permission denied for table audit_events/);
      expect(await outcome(client, `alter table audit_events disable trigger audit_events_no_update`)).toMatch(/^42501 must be owner of (table|relation) audit_events/);
      expect(await outcome(client, `drop trigger audit_events_no_update on audit_events`)).toMatch(/^42501 must be owner of (table|relation) audit_events/);
      expect(await outcome(client, `drop table audit_events`)).toMatch(/^42501 must be owner of (table|relation) audit_events/);
      // Other tables are Loupe's working data: it may change them, not truncate them.
      expect(await outcome(client, `update api_keys set name = name where false`)).toBe('ok');
      expect(await outcome(client, `truncate contents cascade`)).toMatch(/^42501/);
    });
  });

  it('gives the serving role the tables a later migration creates', async () => {
    await asRole(ownerUrl, (c) => c.query(`create table later_table (id int generated always as identity, note text)`));
    await asRole(servingUrl, async (client) => {
      expect(await outcome(client, `insert into later_table (note) values ('x')`)).toBe('ok');
      expect((await client.query(`select note from later_table`)).rows).toEqual([{ note: 'x' }]);
    });
  });
});
