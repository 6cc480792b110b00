import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './services/core/db/schema.ts',
  out: './services/core/db/migrations',
});
