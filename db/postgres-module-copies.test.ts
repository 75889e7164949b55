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

describe("recognising a data-layer handle outside db/", () => {
  it("never uses instanceof on a client class (a second bundle's copy would not match: use isPostgresDb, onSqlite, sqliteConnectionOf or db.dialect)", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const root = path.resolve(__dirname, "..");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (["node_modules", ".next", ".git", "bench"].includes(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !/db\/(postgres|sqlite)-client\.ts$/.test(full)) {
          if (/instanceof\s+(PostgresDb|SqliteDb|PostgresTx|SqliteTx)\b/.test(fs.readFileSync(full, "utf8"))) offenders.push(path.relative(root, full));
        }
      }
    };
    for (const top of ["app", "lib", "db", "scripts", "components"]) walk(path.join(root, top));
    expect(offenders).toEqual([]);
  });
});
