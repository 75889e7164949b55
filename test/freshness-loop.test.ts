import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyDatabaseOn } from "@/db";
import type { Db } from "@/db/client";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import { checkEveryMs, runFreshnessCheck } from "@/lib/scoring/server/freshness-loop";
import { beginIngestion } from "@/lib/ingestion/server/score-scheduler";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { loadConfigInForce, saveConfigVersion } from "@/lib/scoring/server/scoring-config";
import { teamsCacheStats } from "@/lib/teams/server/dataset-cache";
import { createTestDb, testDialect } from "./db";
import { storeEvents } from "./score-events";
import { pinClock } from "@/test/clock";

let db: Db;
let cleanup: () => Promise<void>;
let account = 0;
let type = 0;
const TODAY = pinClock();
afterAll(async () => cleanup());

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  type = (await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('session_started', 'Session started', 100) RETURNING id`)) ?? -1;
  account = (await db.value<number>(sql`INSERT INTO accounts (external_id, name, plan) VALUES ('a-1', 'Account 1', 'Starter') RETURNING id`)) ?? -1;
  await recomputeScores(db, { asOfDay: TODAY });
});

const score = () => db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${account}`);

describe(`the freshness loop on ${testDialect}`, () => {
  it("brings events another process stored into the scores", async () => {
    await storeEvents(db, [{ accountId: account, typeId: type, day: TODAY, quantity: 3, messageId: "elsewhere" }]);
    expect(await score()).toBe(0);
    await (await runFreshnessCheck(db)).recompute;
    expect(await score()).toBe(300);
  });

  it("applies a saved weights version, and leaves nothing 'being applied'", async () => {
    const { version: _v, ...config } = await loadConfigInForce(db);
    const version = await saveConfigVersion(db, { id: "u", name: "Ada" }, { ...config, types: { session_started: { weightHundredths: 250, active: true } } }, "More");
    const check = await runFreshnessCheck(db);
    expect(await check.recompute).toMatchObject({ status: "done", versionId: version });
    expect(await score()).toBe(750);
    expect(await db.value<number>(sql`SELECT config_version FROM scoring_settings WHERE id = 1`)).toBe(version);
  });

  // How long ingestion has been quiet is still kept on the legacy SQLite connection.
  it.runIf(testDialect === "sqlite")("warms the team views while ingestion is quiet, and leaves them alone while events stream in", async () => {
    const sqlite = sqliteConnectionOf(db);
    if (!sqlite) throw new Error("SQLite expected");
    const legacy = legacyDatabaseOn(sqlite);
    expect(await runFreshnessCheck(db)).toMatchObject({ warmed: true });
    const loads = teamsCacheStats(db).fullLoads;
    expect(loads).toBeGreaterThan(0);

    const end = beginIngestion(legacy);
    end();
    expect(await runFreshnessCheck(db)).toMatchObject({ warmed: false });
    expect(teamsCacheStats(db).fullLoads).toBe(loads);
  });
});

describe("SCORES_CHECK_SECONDS", () => {
  it("sets how often the loop checks, every 60 s unless set, and refuses a value that is not 1–3600 whole seconds", () => {
    expect(checkEveryMs({})).toBe(60_000);
    expect(checkEveryMs({ SCORES_CHECK_SECONDS: "" })).toBe(60_000);
    expect(checkEveryMs({ SCORES_CHECK_SECONDS: "5" })).toBe(5_000);
    for (const wrong of ["0", "1.5", "3601", "soon"]) expect(() => checkEveryMs({ SCORES_CHECK_SECONDS: wrong })).toThrow(/SCORES_CHECK_SECONDS must be a whole number of seconds from 1 to 3600/);
  });
});
