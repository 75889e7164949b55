import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import type * as PostgresClient from "./postgres-client";
import type * as SqliteClient from "./sqlite-client";

/** A fresh copy of a module, as a second Next.js server bundle would load it. */
async function freshCopies(): Promise<{ postgres: typeof PostgresClient; sqlite: typeof SqliteClient }> {
  vi.resetModules();
  return { postgres: await import("./postgres-client"), sqlite: await import("./sqlite-client") };
}

// Never connects: recognising a handle must not need the server.
const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
afterAll(() => pool.end());

describe("PostgreSQL handles across copies of the module", () => {
  it("are recognised by another copy (getDb() keeps one handle for all bundles; better-auth is handed its pool)", async () => {
    const a = await freshCopies();
    const b = await freshCopies();
    expect(a.postgres.PostgresDb).not.toBe(b.postgres.PostgresDb);
    const db = new a.postgres.PostgresDb(pool, "postgres://nobody@127.0.0.1:1/none");
    expect(b.postgres.postgresClientOf(db)).toBe(pool);
    expect(b.postgres.isPostgresDb(db)).toBe(true);
    expect(b.sqlite.sqliteConnectionOf(db)).toBeNull();
  });
});
