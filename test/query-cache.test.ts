import BetterSqlite3 from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { cachedStatement, memoUntilChange, memoUntilWrite, readConsistently } from "@/db/query-cache";
import { createTestDatabase, createTestDb, testDialect } from "./db";
import { openSecondServer } from "./second-server";

describe("memoUntilChange (the data layer, both databases)", async () => {
  const { db, cleanup } = await createTestDb();
  const other = openSecondServer(db);
  afterAll(async () => {
    await other.close();
    await cleanup();
  });
  const count = async () => (await db.value<number>(sql`SELECT count(*) FROM accounts`)) ?? -1;

  it("reuses a result until anything is written, then computes it again", async () => {
    let computed = 0;
    const read = () => memoUntilChange(db, "n", async () => (computed++, count()));
    expect(await read()).toBe(0);
    expect(await read()).toBe(0);
    expect(computed).toBe(1);
    await db.run(sql`INSERT INTO accounts (external_id, name) VALUES ('a', 'A')`);
    expect(await read()).toBe(1);
    expect(computed).toBe(2);
  });

  it("notices a write committed through another handle (another server or process)", async () => {
    const before = await memoUntilChange(db, "n2", count);
    await other.run(sql`INSERT INTO accounts (external_id, name) VALUES ('b', 'B')`);
    expect(await memoUntilChange(db, "n2", count)).toBe(before + 1);
  });

  it("shares one computation between concurrent callers and keeps no failure", async () => {
    let computed = 0;
    const slow = () => memoUntilChange(db, "shared", async () => (computed++, count()));
    const [a, b] = await Promise.all([slow(), slow()]);
    expect([a, b, computed]).toEqual([2, 2, 1]);
    await expect(memoUntilChange(db, "fails", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await memoUntilChange(db, "fails", async () => 7)).toBe(7);
  });

  it("reads one answer on one snapshot: a commit by another server between its reads is in none of them, and its results stay cached", async (ctx) => {
    // SQLite has one server process per file and one connection per process: nothing commits between its reads.
    if (db.dialect !== "postgres") ctx.skip();
    let computed = 0;
    const [first, second] = await readConsistently(db, async (snapshot) => {
      const first = await memoUntilChange(snapshot, "snapshot", async () => (computed++, (await snapshot.value<number>(sql`SELECT count(*) FROM accounts`)) ?? -1));
      await other.run(sql`INSERT INTO accounts (external_id, name) VALUES ('between', 'Between')`);
      return [first, (await snapshot.value<number>(sql`SELECT count(*) FROM accounts`)) ?? -1];
    });
    expect(second).toBe(first);
    // The next answer sees the commit; an answer on an unchanged snapshot reuses the result computed inside another one.
    expect(await readConsistently(db, (snapshot) => memoUntilChange(snapshot, "snapshot", count))).toBe(first + 1);
    const again = await readConsistently(db, (snapshot) => memoUntilChange(snapshot, "snapshot", async () => (computed++, -1)));
    expect([again, computed]).toEqual([first + 1, 1]);
  });
});

/** The legacy synchronous helpers, kept for the code not on the data layer yet (SQLite only). */
describe.runIf(testDialect === "sqlite")("memoUntilWrite and cachedStatement (legacy SQLite connection)", () => {
  const { db, cleanup } = createTestDatabase();
  afterAll(cleanup);
  const countAccounts = () => db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number;

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

  it("compiles a statement once and keeps plucked and row statements apart", () => {
    const sql = "SELECT count(*) AS n FROM accounts";
    expect(cachedStatement(db, sql, { pluck: true })).toBe(cachedStatement(db, sql, { pluck: true }));
    expect(cachedStatement(db, sql, { pluck: true }).get()).toBe(2);
    expect(cachedStatement(db, sql).get()).toEqual({ n: 2 });
  });
});
