import { gzipSync } from "node:zlib";
import { sql, type SQL } from "drizzle-orm";
import { legacyDatabaseOn, type Database } from "@/db";
import { onSqlite } from "@/db/sqlite-client";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";
import type { Db } from "@/db/client";
import { createWriteKey } from "@/lib/ingestion/server/write-keys";

export const TEST_ACTOR = { id: "test", name: "Test admin" };

export async function newWriteKey(db: Db, label = "test key"): Promise<string> {
  return (await createWriteKey(db, { actor: TEST_ACTOR, label })).key;
}

export function basic(key: string, withColon = true): string {
  return `Basic ${Buffer.from(withColon ? `${key}:` : key).toString("base64")}`;
}

export interface RequestOptions {
  key?: string;
  authorization?: string;
  gzip?: boolean;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A POST as an SDK would send it; a string body is sent as it is. */
export function post(url: string, body: unknown, options: RequestOptions = {}): Request {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": options.contentType ?? "application/json", ...options.headers };
  if (options.authorization) headers.authorization = options.authorization;
  else if (options.key) headers.authorization = basic(options.key);
  let payload = Buffer.from(text);
  if (options.gzip) {
    payload = gzipSync(payload);
    headers["content-encoding"] = "gzip";
  }
  return new Request(`http://localhost${url}`, { method: "POST", headers, body: payload });
}

export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** SQL text with `?` placeholders, bound to `params` in order (SQL both databases accept). */
export function query(text: string, ...params: unknown[]): SQL {
  const parts = text.split("?");
  if (parts.length !== params.length + 1) throw new Error(`${parts.length - 1} placeholders for ${params.length} parameters: ${text}`);
  return sql.join(parts.flatMap((part, i) => (i < params.length ? [sql.raw(part), sql`${params[i]}`] : [sql.raw(part)])));
}

/** The first column of the first row, as a number (counts, sums, ids). */
export async function count(db: Db, text: string, ...params: unknown[]): Promise<number> {
  const value = await db.value<number | string | null>(query(text, ...params));
  return Number(value ?? 0);
}

/** The daily rollups that differ from the events they count (none when ingestion kept them exact). */
export async function rollupsDifferingFromEvents(db: Db): Promise<unknown[]> {
  return db.all(
    query(`SELECT r.day, r.account_id, r.type_id, r.count, e.n FROM daily_rollups r
        FULL OUTER JOIN (SELECT day, account_id, type_id, sum(quantity) AS n FROM events GROUP BY day, account_id, type_id) e
          ON e.day = r.day AND e.account_id = r.account_id AND e.type_id = r.type_id
        WHERE r.count IS NULL OR e.n IS NULL OR r.count <> e.n`),
  );
}

export function isoAgo(ms: number, now = Date.now()): string {
  return new Date(now - ms).toISOString();
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** count() on a legacy SQLite test database (files that check scores, which run on SQLite only so far). */
export function countSync(db: Database, text: string, ...params: unknown[]): number {
  return Number(db.sqlite.prepare(text).pluck().get(...params) ?? 0);
}

/**
 * Scores for a test file that runs on both databases: the recompute is SQLite-only so far
 * (issue 15), so on PostgreSQL there are no scores and the file checks what is stored.
 */
export async function recomputeOnSqlite(db: Db, asOfDay: number): Promise<void> {
  await onSqlite(db, (sqlite) => recomputeAllScores(legacyDatabaseOn(sqlite), { asOfDay }));
}

/** This process's environment, pointing a command (`npm run import`) at this test database instead. */
export function commandEnv(db: Db): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATABASE_PATH;
  if ("url" in db && typeof db.url === "string") return { ...env, DATABASE_URL: db.url };
  if ("file" in db && typeof db.file === "string") return { ...env, DATABASE_PATH: db.file };
  throw new Error("a test database names neither a URL nor a file");
}
