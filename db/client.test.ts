import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDialect } from "@/test/db";
import type { Db } from "./client";
import { containsCaseless, greatest, inList, least } from "./dialect";

/** The data layer's contract, on the database of this test run (SQLite or PostgreSQL). */
let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

async function markerCount(handle: Db = db): Promise<number> {
  return (await handle.value<number>(sql`SELECT count(*) FROM change_markers`)) ?? -1;
}

describe(`the data layer on ${testDialect}`, () => {
  it("reports its dialect", () => {
    expect(db.dialect).toBe(testDialect);
  });

  it("reads integers, counts, averages, text, null and blobs as plain values", async () => {
    await db.run(sql`INSERT INTO change_markers (date, title) VALUES (${"2026-01-05"}, ${"Launch"}), (${"2026-02-01"}, ${"Pricing"})`);
    const row = await db.get<{ n: number; total: number; mean: number; title: string; missing: string | null }>(
      sql`SELECT count(*) AS n, sum(id) AS total, avg(CAST(id AS DOUBLE PRECISION)) AS mean, min(title) AS title, max(NULL) AS missing FROM change_markers`,
    );
    expect(row).toEqual({ n: 2, total: 3, mean: 1.5, title: "Launch", missing: null });
    const blob = Buffer.from([0, 1, 2, 255]);
    await db.run(sql`INSERT INTO accounts (external_id, name) VALUES (${"a1"}, ${"Acme"})`);
    await db.run(sql`INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (${1}, ${10}, ${blob}, ${1})`);
    const stored = await db.value<Buffer>(sql`SELECT scores FROM score_history WHERE account_id = ${1}`);
    expect(Buffer.compare(Buffer.from(stored ?? []), blob)).toBe(0);
  });

  it("reads timestamps stored as integer milliseconds as numbers", async () => {
    const createdAt = await db.value<number>(sql`SELECT created_at FROM change_markers WHERE title = ${"Launch"}`);
    expect(typeof createdAt).toBe("number");
    expect(Math.abs((createdAt ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it("commits a transaction when its work resolves and rolls back when it throws", async () => {
    const before = await markerCount();
    await db.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO change_markers (date, title) VALUES (${"2026-03-01"}, ${"Kept"})`);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO change_markers (date, title) VALUES (${"2026-03-02"}, ${"Dropped"})`);
        expect(await markerCount(tx)).toBe(before + 2);
        throw new Error("rollback please");
      }),
    ).rejects.toThrow("rollback please");
    expect(await markerCount()).toBe(before + 1);
  });

  it("rolls back a nested transaction alone", async () => {
    const before = await markerCount();
    await db.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO change_markers (date, title) VALUES (${"2026-04-01"}, ${"Outer"})`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.run(sql`INSERT INTO change_markers (date, title) VALUES (${"2026-04-02"}, ${"Inner"})`);
          throw new Error("inner fails");
        }),
      ).rejects.toThrow("inner fails");
    });
    expect(await markerCount()).toBe(before + 1);
    expect(await db.value<string>(sql`SELECT title FROM change_markers ORDER BY id DESC LIMIT 1`)).toBe("Outer");
  });

  it("keeps a query outside a transaction from seeing or joining its uncommitted writes", async () => {
    const before = await markerCount();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO change_markers (date, title) VALUES (${"2026-05-01"}, ${"Pending"})`);
      await gate;
      throw new Error("abandon");
    });
    // Outside the transaction: on SQLite this waits for it, on PostgreSQL it reads the
    // committed state on another connection. Either way it never sees "Pending".
    const outside = markerCount();
    release();
    await expect(transaction).rejects.toThrow("abandon");
    expect(await outside).toBe(before);
    expect(await markerCount()).toBe(before);
  });

  it("reports rows affected", async () => {
    const result = await db.run(sql`UPDATE change_markers SET description = ${"x"} WHERE date >= ${"2026-01-01"}`);
    expect(result.rowsAffected).toBe(await markerCount());
  });

  it("spells greatest, least, case-insensitive search and IN lists for both dialects", async () => {
    const row = await db.get<{ big: number; small: number }>(sql`SELECT ${greatest(db.dialect, sql`3`, sql`7`)} AS big, ${least(db.dialect, sql`3`, sql`7`)} AS small`);
    expect(row).toEqual({ big: 7, small: 3 });
    await db.run(sql`INSERT INTO accounts (external_id, name) VALUES (${"a2"}, ${"100% Fun_Co"}), (${"a3"}, ${"100 Funny Co"})`);
    const names = await db.all<{ name: string }>(sql`SELECT name FROM accounts WHERE ${containsCaseless(db.dialect, sql`name`, "% fun_")} ORDER BY name`);
    expect(names.map((n) => n.name)).toEqual(["100% Fun_Co"]);
    const ids = await db.all<{ id: number }>(sql`SELECT id FROM accounts WHERE ${inList(sql`external_id`, ["a1", "a3"])} ORDER BY id`);
    expect(ids).toHaveLength(2);
    expect(await db.value<number>(sql`SELECT count(*) FROM accounts WHERE ${inList(sql`id`, [])}`)).toBe(0);
  });
});
