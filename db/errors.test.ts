import BetterSqlite3 from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestDb, testDialect } from "@/test/db";
import type { Db } from "./client";
import { isDatabaseBusy, isMissingReference, isTransactionConflict, isUniqueViolation } from "./errors";

/** A promise and the function that settles it: the two transactions below take turns by these, never by time. */
function signal(): { done: Promise<void>; give: () => void } {
  let give = () => {};
  const done = new Promise<void>((resolve) => {
    give = resolve;
  });
  return { done, give };
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("the statement succeeded");
}

describe("database errors, provoked for real and recognised by db/errors.ts", () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await createTestDb());
    await db.run(sql`CREATE TABLE error_probe (id integer PRIMARY KEY, n integer NOT NULL, parent integer REFERENCES error_probe (id))`);
    await db.run(sql`INSERT INTO error_probe (id, n) VALUES (1, 0), (2, 0)`);
  });
  afterAll(async () => cleanup());

  it.runIf(testDialect === "postgres")("a serialization failure (40001): a repeatable-read transaction updates a row another committed after its snapshot", async () => {
    const snapshotTaken = signal();
    const otherCommitted = signal();
    const loser = db.transaction(
      async (tx) => {
        await tx.value(sql`SELECT n FROM error_probe WHERE id = 1`);
        snapshotTaken.give();
        await otherCommitted.done;
        await tx.run(sql`UPDATE error_probe SET n = n + 1 WHERE id = 1`);
      },
      { isolation: "repeatable read" },
    );
    await snapshotTaken.done;
    await db.run(sql`UPDATE error_probe SET n = n + 10 WHERE id = 1`);
    otherCommitted.give();
    const error = await rejection(loser);
    expect(error).toMatchObject({ code: "40001" });
    expect(isTransactionConflict(error)).toBe(true);
    expect(isDatabaseBusy(error)).toBe(true);
    expect(isUniqueViolation(error)).toBe(false);
  });

  it.runIf(testDialect === "postgres")("a deadlock (40P01): two transactions each wait for the row the other holds", async () => {
    const firstHolds = signal();
    const secondHolds = signal();
    const first = db.transaction(async (tx) => {
      await tx.run(sql`UPDATE error_probe SET n = n + 1 WHERE id = 1`);
      firstHolds.give();
      await secondHolds.done;
      await tx.run(sql`UPDATE error_probe SET n = n + 1 WHERE id = 2`);
    });
    const second = db.transaction(async (tx) => {
      await tx.run(sql`UPDATE error_probe SET n = n + 1 WHERE id = 2`);
      secondHolds.give();
      await firstHolds.done;
      await tx.run(sql`UPDATE error_probe SET n = n + 1 WHERE id = 1`);
    });
    const settled = await Promise.allSettled([first, second]);
    // PostgreSQL breaks the cycle by failing one of them; the other then commits.
    const failures: unknown[] = settled.flatMap((s) => (s.status === "rejected" ? [s.reason] : []));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: "40P01" });
    expect(isTransactionConflict(failures[0])).toBe(true);
    expect(isDatabaseBusy(failures[0])).toBe(true);
  });

  it.runIf(testDialect === "postgres")("a unique key taken (23505) and a missing reference (23503) are told apart, and neither is a conflict", async () => {
    const duplicate = await rejection(db.run(sql`INSERT INTO error_probe (id, n) VALUES (1, 0)`));
    expect(duplicate).toMatchObject({ code: "23505" });
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(isMissingReference(duplicate)).toBe(false);
    expect(isTransactionConflict(duplicate)).toBe(false);
    expect(isDatabaseBusy(duplicate)).toBe(false);

    const dangling = await rejection(db.run(sql`INSERT INTO error_probe (id, n, parent) VALUES (3, 0, 99)`));
    expect(dangling).toMatchObject({ code: "23503" });
    expect(isMissingReference(dangling)).toBe(true);
    expect(isUniqueViolation(dangling)).toBe(false);
    expect(isDatabaseBusy(dangling)).toBe(false);
  });

  it("an error without a database code is none of them", async () => {
    const error = await rejection(db.run(sql`SELECT no_such_column FROM error_probe`));
    for (const recognise of [isTransactionConflict, isUniqueViolation, isMissingReference, isDatabaseBusy]) expect(recognise(error)).toBe(false);
    for (const recognise of [isTransactionConflict, isUniqueViolation, isMissingReference, isDatabaseBusy]) expect(recognise(new Error("plain"))).toBe(false);
  });
});

describe.runIf(testDialect === "sqlite")("SQLite's lock held by another connection", () => {
  it("is busy (SQLITE_BUSY), and not a PostgreSQL conflict", () => {
    const { db, cleanup } = createTestDatabase();
    const other = new BetterSqlite3(db.file, { timeout: 0 });
    try {
      db.sqlite.exec("BEGIN IMMEDIATE");
      let error: unknown = null;
      try {
        other.exec("BEGIN IMMEDIATE");
      } catch (caught) {
        error = caught;
      }
      db.sqlite.exec("ROLLBACK");
      expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      expect(isDatabaseBusy(error)).toBe(true);
      expect(isTransactionConflict(error)).toBe(false);
    } finally {
      other.close();
      cleanup();
    }
  });
});
