import BetterSqlite3 from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import type * as SqliteClient from "./sqlite-client";

type SqliteClientModule = typeof SqliteClient;

/** A fresh copy of db/sqlite-client.ts, as a second Next.js server bundle would load it. */
async function freshCopy(): Promise<SqliteClientModule> {
  vi.resetModules();
  return import("./sqlite-client");
}

const connection = new BetterSqlite3(":memory:");
afterAll(() => connection.close());

describe("onSqlite across copies of the module", () => {
  it("recognises a handle and a transaction made by another copy (getDb() keeps one handle for all bundles)", async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    expect(a.SqliteDb).not.toBe(b.SqliteDb);
    const db = new a.SqliteDb(connection, ":memory:");
    expect(await b.onSqlite(db, (sqlite) => sqlite.prepare("SELECT 41 + 1").pluck().get())).toBe(42);
    const inside = await db.transaction(async (tx) => {
      await tx.run(sql`CREATE TABLE t (x INTEGER)`);
      return b.onSqlite(tx, (sqlite) => sqlite.prepare("SELECT count(*) FROM t").pluck().get());
    });
    expect(inside).toBe(0);
  });
});
