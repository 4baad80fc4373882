export * from './core.module';
// The CLI opens the database alone, without the whole core.
export { DatabaseModule } from '@loupe/database';
