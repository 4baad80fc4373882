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

function templateName() {
  const hash = createHash('sha256');
  // The package's exports map hides package.json; its path on disk does not.
  hash.update(readFileSync(path.join(__dirname, '../../node_modules/@electric-sql/pglite/package.json')));
  for (const file of filesUnder(MIGRATIONS)) hash.update(path.relative(MIGRATIONS, file)).update(readFileSync(file));
  return `loupe-pglite-template-${hash.digest('hex').slice(0, 16)}`;
}

module.exports = async function globalSetup() {
  const template = path.join(tmpdir(), templateName());
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
};
