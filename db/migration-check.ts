import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { z } from "zod";

/**
 * drizzle's SQLite migrator decides what to apply from ONE number: it runs every migration of
 * the journal whose `when` is later than the `created_at` of the newest row in
 * `__drizzle_migrations`. A database made by another build (a branch whose migration 0008 is
 * this build's 0009, a file edited after it ran) therefore gets some migrations skipped and
 * others run twice, and fails later with "table already exists" or a missing column on every
 * request. Before migrating, the applied migrations are compared with this build's journal,
 * one by one, by hash and creation time: they must be a prefix of it. Anything else stops
 * with a message that names the first difference, and the database is left untouched.
 */

export interface CodeMigration {
  /** The journal tag, e.g. "0007_renewal_outcomes" (the file is `<tag>.sql`). */
  tag: string;
  /** sha256 of the file, as drizzle records it. */
  hash: string;
  /** The journal's `when`, which drizzle records as `created_at`. */
  createdAt: number;
}

export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

const journalSchema = z.object({ entries: z.array(z.object({ tag: z.string().min(1), when: z.number() })) });

/** This build's migrations in journal order, hashed exactly as drizzle's migrator hashes them. */
export function readCodeMigrations(folder: string): CodeMigration[] {
  const journal = journalSchema.parse(JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")));
  return journal.entries.map(({ tag, when }) => ({
    tag,
    hash: crypto.createHash("sha256").update(fs.readFileSync(path.join(folder, `${tag}.sql`)).toString()).digest("hex"),
    createdAt: when,
  }));
}

export interface DatabaseMigrationState {
  /** Rows of __drizzle_migrations in the order they were written (empty when the table is absent). */
  applied: AppliedMigration[];
  /** Tables other than SQLite's own and the migrations table. */
  otherTables: number;
}

export function readDatabaseMigrationState(sqlite: BetterSqlite3.Database): DatabaseMigrationState {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get() !== undefined;
  const applied = hasTable
    ? sqlite.prepare<unknown[], { hash: string; createdAt: number | string }>("SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY rowid").all().map(
        (r) => ({ hash: r.hash, createdAt: Number(r.createdAt) }),
      )
    : [];
  const otherTables =
    sqlite
      .prepare<unknown[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'")
      .pluck()
      .get() ?? 0;
  return { applied, otherTables };
}

const short = (hash: string) => hash.slice(0, 12);
const when = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z") : String(ms));

/**
 * Why a database's applied migrations do not fit this build's, or null when they are this
 * build's first N migrations (then the rest can be applied in order). Pure.
 */
export function migrationMismatch(state: DatabaseMigrationState, code: readonly CodeMigration[]): string | null {
  for (let i = 1; i < code.length; i++) {
    const previous = code[i - 1];
    const current = code[i];
    if (previous && current && current.createdAt <= previous.createdAt) {
      return `this build's migration journal is out of order: ${current.tag} is dated ${when(current.createdAt)}, not later than ${previous.tag} (${when(previous.createdAt)}), so drizzle would skip it. Regenerate the migration (npm run db:generate).`;
    }
  }
  if (state.applied.length === 0) {
    return state.otherTables > 0
      ? `the database has ${state.otherTables} tables but no record of the migrations that made them (no __drizzle_migrations rows), so this build cannot tell what it holds.`
      : null;
  }
  for (let i = 0; i < state.applied.length; i++) {
    const applied = state.applied[i];
    if (!applied) continue;
    const expected = code[i];
    const position = `migration #${i + 1} recorded in the database (created ${when(applied.createdAt)}, hash ${short(applied.hash)})`;
    if (!expected) {
      return `the database has ${state.applied.length} migrations applied and this build knows ${code.length}: ${position} is not in this build. It was made by a newer or different build.`;
    }
    if (applied.hash === expected.hash && applied.createdAt === expected.createdAt) continue;
    const elsewhere = code.findIndex((c) => c.hash === applied.hash);
    const other = elsewhere >= 0 ? code[elsewhere] : undefined;
    if (other) {
      return `${position} is this build's ${other.tag}, but this build has ${expected.tag} in that place: the migrations were renumbered (a branch with a differently numbered migration).`;
    }
    if (applied.createdAt === expected.createdAt) {
      return `${position} is ${expected.tag} as it was when it ran, but the file has changed since (this build's hash ${short(expected.hash)}).`;
    }
    return `${position} is not this build's ${expected.tag} (created ${when(expected.createdAt)}, hash ${short(expected.hash)}): the database was made by another build, for example a branch with a differently numbered migration.`;
  }
  return null;
}

/** What to do about a refused database: SQLite's advice names the file, PostgreSQL's the URL. */
const ADVICE = {
  sqlite: "Run the build that made this database, or start from a database this build creates (move the file aside; npm run demo seeds a fresh one).",
  postgres: "Run the build that made this database, or point DATABASE_URL at an empty database, which this build migrates.",
} as const;

export class MigrationMismatchError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    dialect: keyof typeof ADVICE = "sqlite",
  ) {
    super(`The database ${file} does not match this build's migrations: ${reason} Nothing was changed. ${ADVICE[dialect]}`);
    this.name = "MigrationMismatchError";
  }
}

/** Throws MigrationMismatchError unless the database's applied migrations are a prefix of this build's. */
export function assertMigrationsMatch(sqlite: BetterSqlite3.Database, file: string, folder: string): void {
  const reason = migrationMismatch(readDatabaseMigrationState(sqlite), readCodeMigrations(folder));
  if (reason) throw new MigrationMismatchError(file, reason);
}
