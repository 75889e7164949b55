import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDb } from "@/db/sqlite-client";
import { isoDateFromDay } from "@/lib/days";
import { defaultRule } from "@/lib/alerts/rules";
import { evaluateTransitions } from "@/lib/alerts/server/evaluator";
import { saveRule } from "@/lib/alerts/server/rules";
import { handleNativeEvents } from "@/lib/ingestion/server/handlers";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";
import { startRecomputeSqlite as startRecompute } from "@/lib/scoring/server/recompute-job";
import { configInForce, saveConfigVersion } from "@/lib/scoring/server/scoring-config";
import { createTestDatabase } from "../db";
import { newWriteKey, post } from "../ingest/helpers";
import { pinClock } from "@/test/clock";

/**
 * The whole chain on the product's own scoring code (SQLite, where the score code runs today):
 * events accepted by the ingestion API move an account's score, the score sync records the band
 * change in that transaction, the evaluator fires "drops a band"; an admin's new weights move
 * many accounts and raise one summary, no per-account alert.
 */
const { db: database, cleanup } = createTestDatabase();
const db = new SqliteDb(database.sqlite, database.file);
const TODAY = pinClock();
const actor = { id: "admin", name: "Ada Admin" };
let key = "";

beforeAll(async () => {
  database.sqlite.exec(`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 1000), ('complaint_escalated', 'Complaint escalated', -1500)`);
  // Established customers (signed up a year ago), and Newco, which signed up today: it has no previous score (lib/scoring/standing.ts).
  const established = isoDateFromDay(TODAY - 365);
  database.sqlite
    .prepare(
      `INSERT INTO accounts (external_id, name, account_manager, signup_date) VALUES ('acme', 'Acme', 'Alice Moreau', @established),
        ('globex', 'Globex', 'Alice Moreau', @established), ('initech', 'Initech', 'Bob', @established), ('newco', 'Newco', 'Alice Moreau', NULL)`,
    )
    .run({ established });
  // The configuration in force is version 1 (as after seeding); an admin's save makes version 2.
  database.sqlite.prepare("INSERT INTO config_versions (created_by, snapshot) VALUES ('seed', ?)").run(JSON.stringify(configInForce(database)));
  recomputeAllScores(database, { asOfDay: TODAY });
  key = await newWriteKey(db);
  await saveRule(db, { actor, rule: { ...defaultRule("band_drop"), enabled: true } });
});
afterAll(cleanup);

async function send(events: { event: string; accountId: string; quantity: number }[]): Promise<void> {
  const timestamp = new Date().toISOString();
  const response = await handleNativeEvents(db, post("/api/v1/events", { events: events.map((e) => ({ ...e, timestamp })) }, { key }));
  expect(response.status).toBe(200);
}

function band(externalId: string): string {
  return database.sqlite.prepare("SELECT s.band FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ?").pluck().get(externalId) as string;
}

describe("alerts from ingested events", () => {
  it("a band drop caused by events fires once, in the transaction of the score change", async () => {
    await send([
      { event: "report_created", accountId: "acme", quantity: 6 },
      { event: "report_created", accountId: "globex", quantity: 9 },
      { event: "report_created", accountId: "initech", quantity: 5 },
    ]);
    expect(band("acme")).toBe("medium");
    await evaluateTransitions(db);
    const before = database.sqlite.prepare("SELECT count(*) FROM alerts").pluck().get();
    expect(before).toBe(0);

    await send([{ event: "complaint_escalated", accountId: "acme", quantity: 2 }]);
    expect(band("acme")).toBe("low");
    // The transition is already there, committed with the score.
    expect(database.sqlite.prepare("SELECT old_band, new_band FROM score_transitions").all()).toEqual([{ old_band: "medium", new_band: "low" }]);
    expect(await evaluateTransitions(db)).toMatchObject({ transitions: 1, alerts: 1 });
    const alert = await db.get<{ title: string; summary: string }>(sql`SELECT title, summary FROM alerts`);
    expect(alert).toEqual({ title: "Acme dropped from Medium to Low", summary: "Score 30 (was 60). Why it moved: Complaint escalated −30, Report created +60." });
    expect(database.sqlite.prepare("SELECT assignee, status FROM tasks").all()).toEqual([{ assignee: "Alice Moreau", status: "open" }]);
  });

  it("a new account that falls a band drops from nothing: no alert (its lists say 'new', not 'medium → low')", async () => {
    await send([{ event: "report_created", accountId: "newco", quantity: 6 }]);
    expect(band("newco")).toBe("medium");
    await evaluateTransitions(db);
    await send([{ event: "complaint_escalated", accountId: "newco", quantity: 2 }]);
    expect(band("newco")).toBe("low");
    // No rule fires on it (a new account has no band to drop from, and low is no churn risk): the sync recorded nothing.
    expect(database.sqlite.prepare("SELECT count(*) FROM score_transitions").pluck().get()).toBe(0);
    expect(await evaluateTransitions(db)).toMatchObject({ transitions: 0, alerts: 0 });
    expect(database.sqlite.prepare("SELECT count(*) FROM alerts a JOIN accounts c ON c.id = a.account_id WHERE c.external_id = 'newco'").pluck().get()).toBe(0);
  });

  it("new weights that move accounts raise one summary and no alert per account", async () => {
    const { version: _current, ...config } = configInForce(database);
    const version = await saveConfigVersion(db, actor, { ...config, types: { ...config.types, report_created: { weightHundredths: 300, active: true } } }, "Reports count less");
    const state = await startRecompute(database, TODAY);
    expect(state).toMatchObject({ status: "done", versionId: version });
    // Globex (90 → 27) and Initech (50 → 15) fell from high and medium to low.
    expect([band("globex"), band("initech")]).toEqual(["low", "low"]);
    // The recompute counted what the new version changed, in one row per write, and recorded no transition per account.
    expect(database.sqlite.prepare("SELECT count(*) FROM score_transitions").pluck().get()).toBe(0);
    const counted = database.sqlite.prepare("SELECT config_version AS version, accounts, lower_band AS lower FROM score_configuration_changes").all();
    expect(counted).toEqual([{ version, accounts: expect.any(Number), lower: expect.any(Number) }]);
    expect((counted[0] as { lower: number }).lower).toBeGreaterThanOrEqual(2);
    const summary = await evaluateTransitions(db);
    expect(summary).toMatchObject({ transitions: 0, alerts: 1 });
    expect(summary.configurationAccounts).toBe((counted[0] as { accounts: number }).accounts);
    const alerts = database.sqlite.prepare("SELECT rule_kind AS kind, title FROM alerts ORDER BY id").all();
    expect(alerts).toEqual([
      { kind: "band_drop", title: "Acme dropped from Medium to Low" },
      { kind: "configuration", title: expect.stringMatching(/^New scoring rules changed \d+ accounts$/) },
    ]);
    expect(database.sqlite.prepare("SELECT count(*) FROM tasks").pluck().get()).toBe(1);
  });
});
