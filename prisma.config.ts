// Configuration of the Prisma CLI (generate, migrate status, authoring migrations).
// The bot itself never runs the CLI: it applies migrations at start-up (src/db/migrate.ts).
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';

// `prisma generate` runs on every `npm install`, where no DATABASE_URL is set; without a URL the
// CLI tries to download engines, which fails offline. A placeholder is never connected to.
process.env.DATABASE_URL ??= 'postgresql://placeholder@localhost:5432/placeholder';
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  // The CLI talks to an in-memory PGlite (or PRISMA_PGLITE_DIR when set) to diff and check
  // migrations. PostgreSQL through @prisma/adapter-pg 6.19 cannot run `migrate` (it fails to read
  // the `name` type), so the bot's own migrator serves PostgreSQL.
  adapter: async () => new PrismaPGlite(new PGlite(process.env.PRISMA_PGLITE_DIR)),
});
