export * from './health.module';
export * from './health.service';
// How the transport tells an outage of the database (503, retry) from a bug (500); the PostgreSQL codes stay in libs/database.
export { isDatabaseUnavailable } from '@loupe/database';
