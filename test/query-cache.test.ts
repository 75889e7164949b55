import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { cachedStatement, memoUntilWrite } from "@/lib/server/query-cache";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const countAccounts = () => db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number;

describe("memoUntilWrite", () => {
  it("reuses a result until this connection writes", () => {
    let computed = 0;
    const read = () => memoUntilWrite(db, "n", () => (computed++, countAccounts()));
    expect(read()).toBe(0);
    expect(read()).toBe(0);
    expect(computed).toBe(1);
    db.sqlite.prepare("INSERT INTO accounts (external_id, name) VALUES ('a', 'A')").run();
    expect(read()).toBe(1);
    expect(computed).toBe(2);
  });

  it("notices a write committed by another connection (an import, another process)", () => {
    const before = memoUntilWrite(db, "n2", countAccounts);
    const other = new BetterSqlite3(db.file);
    other.prepare("INSERT INTO accounts (external_id, name) VALUES ('b', 'B')").run();
    other.close();
    expect(memoUntilWrite(db, "n2", countAccounts)).toBe(before + 1);
  });
});

describe("cachedStatement", () => {
  it("compiles a statement once and keeps plucked and row statements apart", () => {
    const sql = "SELECT count(*) AS n FROM accounts";
    expect(cachedStatement(db, sql, { pluck: true })).toBe(cachedStatement(db, sql, { pluck: true }));
    expect(cachedStatement(db, sql, { pluck: true }).get()).toBe(2);
    expect(cachedStatement(db, sql).get()).toEqual({ n: 2 });
  });
});
