'use strict';
/**
 * Runs once before any test file. An embedded database (PGlite) costs 3 to
 * 5 seconds to initialise and migrate, and the e2e files start dozens of
 * them; so the migrated data directory is made once, kept in the temporary
 * directory under a name that changes with the migrations and PGlite's
 * version, and each test server starts on a copy of it (test-app.ts).
 * That is also how Loupe runs by default: PGlite on a data directory.
 */
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const MIGRATIONS = path.join(__dirname, '../../libs/database/migrations');

function filesUnder(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? filesUnder(file) : [file];
    });
}

/** A name that changes with the migrations and with the package that runs them (its package.json). */
function templateName(prefix, runner) {
  const hash = createHash('sha256');
  // The package's exports map hides package.json; its path on disk does not.
  hash.update(readFileSync(path.join(__dirname, '../../node_modules', runner, 'package.json')));
  for (const file of filesUnder(MIGRATIONS)) hash.update(path.relative(MIGRATIONS, file)).update(readFileSync(file));
  return `${prefix}${hash.digest('hex').slice(0, 16)}`;
}

const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The PostgreSQL twin of the PGlite template: a migrated database that each
 * real test server's database is created from (CREATE DATABASE ... TEMPLATE,
 * test/utils/postgres.ts), instead of running the 21 migrations again for
 * each. Kept between runs, under a name that changes with the migrations.
 * Without a PostgreSQL to reach, none: the tests that need one fail there
 * with their own message, and unit tests run as before.
 */
async function postgresTemplate() {
  const { Client } = require('pg');
  const name = templateName('loupe_template_', 'drizzle-orm');
  const admin = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const exists = async () => (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount > 0;
  try {
    if (await exists()) return name;
    const { drizzle } = require('drizzle-orm/node-postgres');
    const { migrate } = require('drizzle-orm/node-postgres/migrator');
    // Migrated under another name and renamed into place, as the PGlite template is: a run that is
    // interrupted, or one running beside this one, never copies a half-migrated database.
    const partial = `${name}_partial_${process.pid}`;
    await admin.query(`drop database if exists ${partial}`);
    await admin.query(`create database ${partial}`);
    const client = new Client({ connectionString: withDatabase(TEST_POSTGRES_URL, partial) });
    try {
      await client.connect();
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
    } catch (error) {
      // No template then: each real server migrates its own database, and the tests that need one
      // fail there with the migration's own error; unit tests run as they would have.
      console.warn(`\nNo PostgreSQL template: migrating ${partial} failed: ${error.message}`);
      await client.end().catch(() => undefined);
      await admin.query(`drop database if exists ${partial} with (force)`);
      return null;
    }
    await client.end();
    try {
      await admin.query(`alter database ${partial} rename to ${name}`);
    } catch (error) {
      await admin.query(`drop database if exists ${partial}`);
      if (!(await exists())) throw error;
    }
    return name;
  } finally {
    await admin.end();
  }
}

const ROOT = path.join(__dirname, '../..');
const { buildKernels } = require('../../scripts/build-wasm.js');
/** Written by `npm run build` as its last step, after every file of dist/: a build that failed or was cut short has none. */
const BUILD_COMPLETE = path.join(ROOT, 'dist', '.build-complete');
/** LOUPE_THREADS_FROM_BUILD as the user gave it, if they did (empty: the sources, whatever the build). */
const USER_CHOICE = process.env.LOUPE_THREADS_FROM_BUILD;

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const stat = statSync(file);
    if (stat.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (/\.(ts|cjs|json)$/.test(name)) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/**
 * Whether the test servers and their worker threads may run the build's
 * JavaScript instead of their TypeScript sources (test/utils/server-code.ts,
 * libs/common/src/dev-thread-entry.cjs): only when the build completed after
 * the last change to any source under libs/ and apps/, as right after `npm
 * test`'s build. A source edited since, or no complete build, and they run
 * the sources as before.
 */
function freshBuild() {
  if (!existsSync(BUILD_COMPLETE)) return false;
  return Math.max(newestSource(path.join(ROOT, 'libs')), newestSource(path.join(ROOT, 'apps'))) < statSync(BUILD_COMPLETE).mtimeMs;
}

module.exports = async function globalSetup() {
  // The WebAssembly kernels (the match index, PDQ's blur) are build artefacts: built here when
  // missing or older than their sources, so `npm run jest -- <file>` works on a fresh checkout.
  buildKernels(true);
  // Set here, before Jest starts its workers: they and their threads inherit it. Decided again
  // on every run (jest --watch runs this setup each time), unless the user set it.
  if (USER_CHOICE === undefined) process.env.LOUPE_THREADS_FROM_BUILD = freshBuild() ? ROOT : '';
  // "-lean": without the template databases (below); a new name, so a kept template of the old kind is not used.
  const template = path.join(tmpdir(), templateName('loupe-pglite-template-lean-', '@electric-sql/pglite'));
  if (!existsSync(template)) {
    const { PGlite } = require('@electric-sql/pglite');
    const { drizzle } = require('drizzle-orm/pglite');
    const { migrate } = require('drizzle-orm/pglite/migrator');
    // Made beside its final name and renamed into place, so a run that is
    // interrupted never leaves a half-migrated template behind.
    const partial = `${template}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    const client = await PGlite.create(partial);
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
      // Loupe uses the database "postgres" alone and never creates one, so
      // template0 and template1 are only copied: half of the directory's
      // 1,222 files. Without them a copy costs 30 to 37 ms of CPU instead of
      // 76 to 181 (docs/benchmarks.md, "2026-12-05, 13:00"), and the suite
      // makes one per embedded test server.
      await client.exec("update pg_database set datistemplate = false where datname in ('template0', 'template1')");
      await client.exec('drop database template0');
      await client.exec('drop database template1');
      await client.exec('checkpoint');
    } finally {
      await client.close();
    }
    try {
      renameSync(partial, template);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(template)) throw error;
    }
  }
  process.env.LOUPE_TEST_PGLITE_TEMPLATE = template;
  const postgres = await postgresTemplate();
  if (postgres) process.env.LOUPE_TEST_POSTGRES_TEMPLATE = postgres;
  else delete process.env.LOUPE_TEST_POSTGRES_TEMPLATE;
};
