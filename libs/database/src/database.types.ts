import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type DatabaseSchema = typeof schema;

/** What both drivers (node-postgres and PGlite) and their transactions have in common. */
export type Database = PgDatabase<PgQueryResultHKT, DatabaseSchema>;
