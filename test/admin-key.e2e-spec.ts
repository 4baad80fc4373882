import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Client } from 'pg';
import { MIGRATIONS_FOLDER } from '@loupe/database';
import { ApiClient, createTestDatabase, embeddedDatabase, startTestApp, TestApp } from '@loupe/testing';

jest.setTimeout(120_000);

/** A key as an operator might choose it: a recognisable start that no listing may show. */
const operatorKey = (name: string) => `operator-${name}-${randomBytes(16).toString('hex')}`;

/**
 * The database outlives each start, as it does when an operator restarts
 * Loupe with a new LOUPE_ADMIN_KEY: a PGlite directory, or a PostgreSQL
 * database (the queue stays in-process; seeding does not touch it).
 */
async function persistentDatabase(kind: 'embedded' | 'real'): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'real') return createTestDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'loupe-admin-key-'));
  return { url: await embeddedDatabase(dir), drop: () => rm(dir, { recursive: true, force: true }) };
}

describe.each(['embedded', 'real'] as const)('LOUPE_ADMIN_KEY on %s stores', (kind) => {
  let database: { url: string; drop(): Promise<void> };
  let loupe: TestApp | undefined;

  const start = async (adminKey: string): Promise<ApiClient> => {
    await loupe?.close();
    loupe = await startTestApp('embedded', { DATABASE_URL: database.url, LOUPE_ADMIN_KEY: adminKey });
    return new ApiClient(loupe.baseUrl, adminKey);
  };

  beforeAll(async () => {
    database = await persistentDatabase(kind);
  });
  afterAll(async () => {
    await loupe?.close();
    await database?.drop();
  });

  it('shows no part of an operator-chosen key, and rotating it revokes the old key', async () => {
    const first = operatorKey('first');
    const second = operatorKey('second');

    let admin = await start(first);
    const listed = await admin.get('/v1/admin/api-keys');
    expect(listed.status).toBe(200);
    const seeded = (listed.body as any[]).find((k) => k.seeded);
    expect(seeded).toMatchObject({ role: 'admin', prefix: 'seeded', revokedAt: null });
    // Nothing of the key (its first characters were the prefix once) is in the listing.
    expect(listed.text).not.toContain(first.slice(0, 8));
    expect(listed.text).not.toContain('operator');

    // A generated key keeps its random, identifiable prefix.
    const analyst = await admin.post('/v1/admin/api-keys', { json: { name: 'stays', role: 'analyst' } });
    expect(analyst.status).toBe(201);
    expect(analyst.body.prefix).toMatch(/^lp_[A-Za-z0-9_-]{6}$/);
    expect(analyst.body.key.startsWith(analyst.body.prefix)).toBe(true);
    expect(analyst.body.seeded).toBe(false);

    // The operator rotates the key and restarts.
    admin = await start(second);
    const old = await admin.withKey(first).get('/v1/admin/api-keys');
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('auth.invalid_key');
    const keys = await admin.get('/v1/admin/api-keys');
    expect(keys.status).toBe(200);
    const seededKeys = (keys.body as any[]).filter((k) => k.seeded);
    expect(seededKeys).toHaveLength(2);
    const [current, revoked] = [seededKeys.find((k) => !k.revokedAt), seededKeys.find((k) => k.revokedAt)];
    expect(revoked.id).toBe(seeded.id);
    expect(current.prefix).toBe('seeded');
    expect(keys.text).not.toContain('operator');
    // Keys made through the API are not the seed's to revoke.
    expect((await admin.withKey(analyst.body.key).get('/v1/policies')).status).toBe(200);

    const audit = await admin.get(`/v1/audit?action=api_key.revoke&entityId=${seeded.id}`);
    expect(audit.body).toEqual([
      expect.objectContaining({ actorId: null, actorRole: 'system', entityType: 'api_key', data: { reason: 'LOUPE_ADMIN_KEY rotated', replacedBy: current.id } }),
    ]);

    // A process restarted with the stale key (a rolling deploy) revokes nothing, and its key stays revoked.
    await start(first);
    expect((await loupe!.admin.withKey(first).get('/v1/admin/api-keys')).status).toBe(401);
    const after = await loupe!.admin.withKey(second).get('/v1/admin/api-keys');
    expect(after.status).toBe(200);
    expect((after.body as any[]).filter((k) => k.seeded && !k.revokedAt).map((k) => k.id)).toEqual([current.id]);
  });
});

describe('an admin key seeded by an earlier version (PostgreSQL)', () => {
  it('is marked seeded by the migration, loses its stored prefix, and is revoked by the next rotation', async () => {
    const database = await createTestDatabase();
    const folder = await mkdtemp(path.join(tmpdir(), 'loupe-migrations-'));
    let loupe: TestApp | undefined;
    try {
      // The schema as it was before the migration that added api_keys.seeded.
      await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalFile = path.join(folder, 'meta/_journal.json');
      const journal = JSON.parse(await readFile(journalFile, 'utf8'));
      journal.entries = journal.entries.slice(0, journal.entries.findIndex((e: { tag: string }) => e.tag.endsWith('_access')));
      await writeFile(journalFile, JSON.stringify(journal));
      const legacy = operatorKey('legacy');
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        await migrate(drizzle(client), { migrationsFolder: folder });
        // What the seeding used to write: the key's first 9 characters as its prefix.
        await client.query(`insert into api_keys (name, role, key_hash, key_prefix) values ('admin (LOUPE_ADMIN_KEY)', 'admin', $1, $2)`, [
          createHash('sha256').update(legacy).digest('hex'),
          legacy.slice(0, 9),
        ]);
      } finally {
        await client.end();
      }

      const next = operatorKey('next');
      loupe = await startTestApp('embedded', { DATABASE_URL: database.url, LOUPE_ADMIN_KEY: next });
      const admin = new ApiClient(loupe.baseUrl, next);
      expect((await admin.withKey(legacy).get('/v1/admin/api-keys')).status).toBe(401);
      const keys = await admin.get('/v1/admin/api-keys');
      expect(keys.text).not.toContain('operator');
      expect((keys.body as any[]).map((k) => ({ seeded: k.seeded, prefix: k.prefix, revoked: k.revokedAt !== null }))).toEqual(
        expect.arrayContaining([
          { seeded: true, prefix: 'seeded', revoked: true },
          { seeded: true, prefix: 'seeded', revoked: false },
        ]),
      );
    } finally {
      await loupe?.close();
      await database.drop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('LOUPE_ADMIN_KEY length', () => {
  it('refuses a key shorter than 32 characters at boot, naming the variable', async () => {
    await expect(startTestApp('embedded', { LOUPE_ADMIN_KEY: 'x'.repeat(31) })).rejects.toThrow(/LOUPE_ADMIN_KEY must be at least 32 characters/);
  });
});
