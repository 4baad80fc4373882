import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/database/src/schema/index.ts',
  out: './libs/database/migrations',
});
