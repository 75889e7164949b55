import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type { PostgresDb } from "./postgres-client";

export const POSTGRES_MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations-postgres");

/** Any constant: the advisory lock that lets one starting server at a time run migrations. */
const MIGRATION_LOCK = 7_355_608_001;

/**
 * Applies pending migrations. Several app servers may start at once against one database:
 * each waits for the advisory lock, so the migrations run exactly once and the others find
 * them applied.
 */
export async function migratePostgres(db: PostgresDb, options: { migrationsFolder?: string } = {}): Promise<void> {
  await db.withConnection(async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: options.migrationsFolder ?? POSTGRES_MIGRATIONS_FOLDER });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  });
}
