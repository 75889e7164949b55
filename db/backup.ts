import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { postgresBinDir } from "../scripts/lib/temporary-postgres";
import type { DatabaseConfig } from "./env";
import { openDatabase } from "./index";
import { createPool, PostgresDb } from "./postgres-client";
import { migratePostgres } from "./postgres-migrate";
import { forgetCommitOrder } from "./commit-horizon";

/**
 * Backups and restores (`npm run backup` / `npm run restore`, docs/adr/0017-operating-the-product.md).
 *
 * - SQLite: SQLite's online backup API (better-sqlite3's `backup`, run on its thread pool). The
 *   first step copies a few pages; every later step copies all remaining pages at once, inside
 *   one read transaction. In WAL mode a reader never blocks the server's writers, and one step
 *   sees one consistent snapshot, so a backup taken while the server ingests holds every
 *   transaction committed before that step and none half-done (a write between the steps
 *   restarts the copy, which then completes in one step).
 * - PostgreSQL: pg_dump's custom format (a consistent snapshot by design), restored with
 *   pg_restore. The binaries come from the same place as initdb (scripts/lib/temporary-postgres.ts).
 *
 * A restore goes into an EMPTY installation only (no accounts, events, users or audit
 * entries), then brings the schema up to date: restoring an older backup is an upgrade.
 */
const run = promisify(execFile);

export type BackupFormat = "sqlite" | "pg_dump";

/** Tables whose rows make an installation non-empty (and that a summary counts). */
export const CONTENT_TABLES = ["accounts", "events", "pending_events", "daily_rollups", "users", "write_keys", "audit_log"] as const;

export interface TableCount {
  table: string;
  rows: number;
}

export interface BackupSummary {
  format: BackupFormat;
  file: string;
  bytes: number;
  millis: number;
}

/** What a backup file holds: SQLite's or pg_dump's format, by its first bytes. */
export function backupFormatOf(file: string): BackupFormat {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    if (head.toString("latin1", 0, 15) === "SQLite format 3") return "sqlite";
    if (head.toString("latin1", 0, 5) === "PGDMP") return "pg_dump";
  } finally {
    fs.closeSync(fd);
  }
  throw new Error(`${file} is neither a SQLite backup nor a pg_dump archive`);
}

function postgresTool(name: "pg_dump" | "pg_restore"): string {
  const dir = postgresBinDir();
  if (!dir) throw new Error(`${name} was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or set POSTGRES_BIN_DIR`);
  return path.join(dir, name);
}

/** A connection URL without its password, and the password for PGPASSWORD (never on a command line). */
function splitPassword(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { url: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env } };
}

async function toolError(error: unknown, tool: string): Promise<never> {
  const stderr = (error as { stderr?: string }).stderr?.trim();
  throw new Error(`${tool} failed${stderr ? `: ${stderr}` : ""}`, { cause: error });
}

/** Writes a consistent backup of the installation to `file` (which must not exist yet). */
export async function backupDatabase(config: DatabaseConfig, file: string): Promise<BackupSummary> {
  if (fs.existsSync(file)) throw new Error(`${file} already exists: back up to a new file`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const started = performance.now();
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  try {
    if (config.kind === "sqlite") {
      if (!fs.existsSync(config.file)) throw new Error(`there is no database at ${config.file}`);
      const source = new BetterSqlite3(config.file, { fileMustExist: true });
      try {
        source.pragma("busy_timeout = 5000");
        await source.backup(partial, { progress: () => 2 ** 30 });
      } finally {
        source.close();
      }
    } else {
      const { url, env } = splitPassword(config.url);
      await run(postgresTool("pg_dump"), ["--format=custom", "--file", partial, "--dbname", url], { env, maxBuffer: 16 * 1024 * 1024 }).catch((e: unknown) =>
        toolError(e, "pg_dump"),
      );
    }
    // Only a complete backup gets the name asked for.
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { format: config.kind === "sqlite" ? "sqlite" : "pg_dump", file, bytes: fs.statSync(file).size, millis: Math.round(performance.now() - started) };
}

export interface BackupCheck {
  format: BackupFormat;
  /** SQLite: PRAGMA quick_check says ok. pg_dump: pg_restore reads its table of contents. */
  ok: boolean;
  problems: string[];
  /** Row counts (SQLite backups; a pg_dump archive lists its tables without counts). */
  tables: TableCount[];
  /** The newest migration in the backup (SQLite), for "which version is this from". */
  migrations: number | null;
}

function tableNames(db: BetterSqlite3.Database): string[] {
  return db.prepare<unknown[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
}

function rowCount(db: BetterSqlite3.Database, table: string): number {
  return db.prepare<unknown[], number>(`SELECT count(*) FROM "${table}"`).pluck().get() ?? 0;
}

/** Reads a backup without restoring it: is it whole, and what does it hold. */
export async function checkBackup(file: string): Promise<BackupCheck> {
  const format = backupFormatOf(file);
  if (format === "sqlite") {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const result = db.prepare<unknown[], string>("PRAGMA quick_check").pluck().all();
      const problems = result.length === 1 && result[0] === "ok" ? [] : result;
      const existing = new Set(tableNames(db));
      const tables = CONTENT_TABLES.filter((t) => existing.has(t)).map((table) => ({
        table,
        rows: rowCount(db, table),
      }));
      const migrations = existing.has("__drizzle_migrations") ? rowCount(db, "__drizzle_migrations") : null;
      return { format, ok: problems.length === 0, problems, tables, migrations };
    } finally {
      db.close();
    }
  }
  try {
    const { stdout } = await run(postgresTool("pg_restore"), ["--list", file], { maxBuffer: 64 * 1024 * 1024 });
    const tables = [...stdout.matchAll(/ TABLE DATA public (\S+) /g)].map((m) => m[1] ?? "");
    const missing = CONTENT_TABLES.filter((t) => !tables.includes(t));
    return { format, ok: missing.length === 0, problems: missing.map((t) => `table ${t} is missing`), tables: [], migrations: null };
  } catch (error) {
    return { format, ok: false, problems: [(error as { stderr?: string }).stderr?.trim() || String(error)], tables: [], migrations: null };
  }
}

/** Rows in the tables that make an installation non-empty; null when it has no schema yet. */
async function contentOf(config: DatabaseConfig): Promise<TableCount[] | null> {
  if (config.kind === "sqlite") {
    if (!fs.existsSync(config.file)) return null;
    const db = new BetterSqlite3(config.file, { readonly: true });
    try {
      const existing = new Set(tableNames(db));
      if (!existing.has("accounts")) return null;
      return CONTENT_TABLES.filter((t) => existing.has(t)).map((table) => ({ table, rows: rowCount(db, table) }));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    const existing = new Set(
      (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")).rows.map((r) => r.name),
    );
    if (!existing.has("accounts")) return null;
    const counts: TableCount[] = [];
    for (const table of CONTENT_TABLES.filter((t) => existing.has(t))) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      counts.push({ table, rows: Number(result.rows[0]?.n ?? 0) });
    }
    return counts;
  } finally {
    await client.end();
  }
}

export interface RestoreSummary {
  format: BackupFormat;
  tables: TableCount[];
  millis: number;
}

/**
 * Restores a backup into an empty installation and migrates it to the current schema.
 * Refuses (throws, changing nothing) when the installation holds any data.
 */
export async function restoreDatabase(config: DatabaseConfig, file: string): Promise<RestoreSummary> {
  const started = performance.now();
  const format = backupFormatOf(file);
  if (format === "sqlite" && config.kind !== "sqlite") {
    throw new Error("this is a SQLite backup: restore it into a SQLite installation, then move it with npm run db:migrate-to-postgres");
  }
  if (format === "pg_dump" && config.kind !== "postgres") throw new Error("this is a PostgreSQL backup (pg_dump): set DATABASE_URL to an empty PostgreSQL database");
  const before = await contentOf(config);
  const nonEmpty = (before ?? []).filter((t) => t.rows > 0);
  if (nonEmpty.length > 0) {
    throw new Error(
      `the installation is not empty (${nonEmpty.map((t) => `${t.rows} ${t.table}`).join(", ")}): restore into an empty one (a new DATABASE_PATH or database)`,
    );
  }
  const check = await checkBackup(file);
  if (!check.ok) throw new Error(`the backup is damaged: ${check.problems.join("; ")}`);

  if (config.kind === "sqlite") {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(config.file + suffix, { force: true });
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(config.file);
    } finally {
      source.close();
    }
    openDatabase(config.file).sqlite.close();
  } else {
    const { url, env } = splitPassword(config.url);
    const args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", ...(before ? ["--clean", "--if-exists"] : []), "--dbname", url, file];
    await run(postgresTool("pg_restore"), args, { env, maxBuffer: 16 * 1024 * 1024 }).catch((e: unknown) => toolError(e, "pg_restore"));
    const db = new PostgresDb(createPool(config.url, { max: 1 }), config.url);
    try {
      await migratePostgres(db);
      // The dump's transaction ids belong to the cluster it came from.
      await forgetCommitOrder(db);
    } finally {
      await db.close();
    }
  }
  return { format, tables: (await contentOf(config)) ?? [], millis: Math.round(performance.now() - started) };
}
