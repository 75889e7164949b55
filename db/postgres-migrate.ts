import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type pg from "pg";
import { MigrationMismatchError, migrationMismatch, readCodeMigrations, type DatabaseMigrationState } from "./migration-check";
import type { PostgresDb } from "./postgres-client";

export const POSTGRES_MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations-postgres");

/** Any constant: the advisory lock that lets one starting server at a time run migrations. */
const MIGRATION_LOCK = 7_355_608_001;

/**
 * What a PostgreSQL database records of its migrations: drizzle's `drizzle.__drizzle_migrations`
 * in the order they were applied, and how many other tables the public schema holds.
 */
export async function readPostgresMigrationState(client: pg.ClientBase): Promise<DatabaseMigrationState> {
  const table = await client.query<{ present: boolean }>("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present");
  const applied = table.rows[0]?.present
    ? (await client.query<{ hash: string; createdAt: string | number }>('SELECT hash, created_at AS "createdAt" FROM drizzle.__drizzle_migrations ORDER BY id')).rows.map(
        (r) => ({ hash: r.hash, createdAt: Number(r.createdAt) }),
      )
    : [];
  const others = await client.query<{ count: string }>(
    "SELECT count(*) AS count FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  return { applied, otherTables: Number(others.rows[0]?.count ?? 0) };
}

/** The database a URL names, without its password, for messages. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "at DATABASE_URL";
  }
}

/**
 * Applies pending migrations. Several app servers may start at once against one database:
 * each waits for the advisory lock, so the migrations run exactly once and the others find
 * them applied. As on SQLite (db/migration-check.ts), a database whose applied migrations are
 * not this build's first ones is refused before anything runs (MigrationMismatchError): drizzle's
 * migrator would otherwise skip some migrations and run others twice.
 */
export async function migratePostgres(db: PostgresDb, options: { migrationsFolder?: string } = {}): Promise<void> {
  const folder = options.migrationsFolder ?? POSTGRES_MIGRATIONS_FOLDER;
  await db.withConnection(async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      const reason = migrationMismatch(await readPostgresMigrationState(client), readCodeMigrations(folder));
      if (reason) throw new MigrationMismatchError(describeDatabase(db.url), reason, "postgres");
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  });
}
