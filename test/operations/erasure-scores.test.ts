import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { eraseAndRecompute } from "@/lib/operations/server/admin";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { syncScores } from "@/lib/scoring/server/score-sync";
import { createTestDb, testDialect } from "@/test/db";
import { ADMIN, insertAccount, insertEvents, insertEventType } from "./fixtures";

/** Issue 21: an erasure leaves the scores as if the erased events had never been stored, on both databases. */
let db: Db;
let cleanup: () => Promise<void>;
let acme: number;
let globex: number;
let type: number;
const TODAY = 20_400;

const scoreOf = (account: number) => db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${account}`);

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  acme = await insertAccount(db, "acme");
  globex = await insertAccount(db, "globex");
  type = await insertEventType(db, "report_created", 250); // 2.50 points each
  await recomputeScores(db, { asOfDay: TODAY });
  await insertEvents(db, type, [
    { account: acme, day: TODAY - 1, messageId: "a1", userId: "u-42", quantity: 2 },
    { account: acme, day: TODAY, messageId: "a2", userId: "u-7" },
    { account: globex, day: TODAY - 2, messageId: "g1", userId: "u-42" },
    { account: globex, day: TODAY, messageId: "g2", userId: null },
  ]);
  await syncScores(db);
});
afterAll(async () => cleanup());

describe(`erasure and the scores on ${testDialect}`, () => {
  it("recomputes the scores of the accounts whose events an end user's erasure deleted", async () => {
    expect([await scoreOf(acme), await scoreOf(globex)]).toEqual([750, 500]);
    const result = await eraseAndRecompute(db, ADMIN, { kind: "end_user", userId: "u-42" });
    expect(result).toMatchObject({ kind: "end_user", events: 2, accountsRecomputed: 2 });
    // acme keeps u-7's one report (2.50), globex its anonymous one (2.50).
    expect([await scoreOf(acme), await scoreOf(globex)]).toEqual([250, 250]);
    // What a recompute from scratch gives, and the next sync counts nothing twice.
    await syncScores(db);
    const stored = await db.all(sql`SELECT * FROM account_scores ORDER BY account_id`);
    await recomputeScores(db, { asOfDay: TODAY });
    expect(await db.all(sql`SELECT * FROM account_scores ORDER BY account_id`)).toEqual(stored);
  });

  it("removes an erased account's scores and leaves the others", async () => {
    await eraseAndRecompute(db, ADMIN, { kind: "account", externalId: "acme" });
    expect(await scoreOf(acme)).toBeUndefined();
    expect(await scoreOf(globex)).toBe(250);
    expect(await syncScores(db)).toBeNull();
  });
});
