import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/db";
import { integerArrayLiteral, textArrayLiteral } from "./array-literal";
import type { Db } from "./client";

/** The array literals the PostgreSQL writer sends, read back by PostgreSQL itself. */
let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  if (db.dialect !== "postgres") throw new Error("this test runs in the postgres project");
});

afterAll(async () => {
  await cleanup();
});

describe("array literals", () => {
  it("carries every text exactly, quotes, backslashes, braces, commas, spaces, NULL-looking and empty texts included", async () => {
    const texts = ['plain', 'with "quotes"', "back\\slash\\", '\\"', "{braces},commas", "  spaced  ", "NULL", "null", "", "tab\tnew\nline", "ünïcødé 🎉", "a'b", null];
    const rows = await db.all<{ value: string | null; n: number }>(
      sql`SELECT value, n::integer AS n FROM unnest(${textArrayLiteral(texts)}::text[]) WITH ORDINALITY AS u(value, n) ORDER BY n`,
    );
    expect(rows.map((r) => r.value)).toEqual(texts);
  });

  it("carries integers, negative and beyond 32 bits, into integer and bigint columns", async () => {
    const ints = [0, 1, -7, 2_147_483_647];
    const bigs = [1_765_000_000_000, -1, Number.MAX_SAFE_INTEGER];
    const asInt = await db.all<{ v: number }>(sql`SELECT v FROM unnest(${integerArrayLiteral(ints)}::integer[]) AS u(v)`);
    const asBig = await db.all<{ v: string }>(sql`SELECT v::text AS v FROM unnest(${integerArrayLiteral(bigs)}::bigint[]) AS u(v)`);
    expect(asInt.map((r) => r.v)).toEqual(ints);
    expect(asBig.map((r) => r.v)).toEqual(bigs.map(String));
  });

  it("an empty column is an empty array", async () => {
    expect(await db.value<number>(sql`SELECT cardinality(${integerArrayLiteral([])}::integer[])`)).toBe(0);
    expect(await db.value<number>(sql`SELECT cardinality(${textArrayLiteral([])}::text[])`)).toBe(0);
  });

  it("refuses a value that is not an integer rather than sending a wrong one", () => {
    expect(() => integerArrayLiteral([1, 2.5])).toThrow(/not an integer/);
    expect(() => integerArrayLiteral([Number.NaN])).toThrow(/not an integer/);
  });
});
