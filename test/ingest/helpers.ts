import { gzipSync } from "node:zlib";
import type { Database } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { createWriteKey } from "@/lib/server/write-keys";

export const TEST_ACTOR = { id: "test", name: "Test admin" };

/** A write key on a legacy test database (the ingestion tests still run on the synchronous connection). */
export async function newWriteKey(db: Database, label = "test key"): Promise<string> {
  return (await createWriteKey(new SqliteDb(db.sqlite, db.file), { actor: TEST_ACTOR, label })).key;
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

export function count(db: Database, sql: string, ...params: unknown[]): number {
  return db.sqlite.prepare(sql).pluck().get(...params) as number;
}

export function isoAgo(ms: number, now = Date.now()): string {
  return new Date(now - ms).toISOString();
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
