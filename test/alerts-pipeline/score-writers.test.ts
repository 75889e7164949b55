import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { isoDateFromDay } from "@/lib/days";
import { defaultRule } from "@/lib/alerts/rules";
import { evaluateTransitions } from "@/lib/alerts/server/evaluator";
import { saveRule } from "@/lib/alerts/server/rules";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { startRecompute } from "@/lib/scoring/server/recompute-job";
import { syncScores } from "@/lib/scoring/server/score-sync";
import { loadConfigInForce, saveConfigVersion } from "@/lib/scoring/server/scoring-config";
import { createTestDb, testDialect } from "../db";
import { storeEvents } from "../score-events";
import { pinClock } from "@/test/clock";

/**
 * Alerts from the score writers on both databases (docs/adr/0016): the score sync records a
 * band change in the transaction of the score change and the evaluator fires "drops a band";
 * an admin's new weights, applied by the recompute job, raise one summary and no alert per
 * account. Events are stored as ingestion stores them (test/score-events.ts); the ingestion API
 * itself is covered by pipeline.test.ts.
 */
let db: Db;
let cleanup: () => Promise<void>;
const TODAY = pinClock();
const actor = { id: "admin", name: "Ada Admin" };
const ids: Record<string, number> = {};
const types: Record<string, number> = {};
let message = 0;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  for (const [key, label, weight] of [
    ["report_created", "Report created", 1000],
    ["complaint_escalated", "Complaint escalated", -1500],
  ] as const) {
    types[key] = (await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES (${key}, ${label}, ${weight}) RETURNING id`)) ?? -1;
  }
  const established = isoDateFromDay(TODAY - 365);
  for (const [externalId, name, manager] of [
    ["acme", "Acme", "Alice Moreau"],
    ["globex", "Globex", "Alice Moreau"],
    ["initech", "Initech", "Bob"],
  ] as const) {
    ids[externalId] =
      (await db.value<number>(
        sql`INSERT INTO accounts (external_id, name, account_manager, signup_date) VALUES (${externalId}, ${name}, ${manager}, ${established}) RETURNING id`,
      )) ?? -1;
  }
  const { version: _v, ...config } = await loadConfigInForce(db);
  await db.run(sql`INSERT INTO config_versions (created_by, snapshot) VALUES ('seed', ${JSON.stringify(config)})`);
  await recomputeScores(db, { asOfDay: TODAY });
  await saveRule(db, { actor, rule: { ...defaultRule("band_drop"), enabled: true } });
});
afterAll(async () => cleanup());

async function send(events: { event: string; account: string; quantity: number }[]): Promise<void> {
  await storeEvents(
    db,
    events.map((e) => ({ accountId: ids[e.account] ?? -1, typeId: types[e.event] ?? -1, day: TODAY, quantity: e.quantity, messageId: `m-${++message}` })),
  );
  await syncScores(db);
}

const band = (externalId: string) => db.value<string>(sql`SELECT s.band FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ${externalId}`);

describe(`alerts from the score writers on ${testDialect}`, () => {
  it("a band drop caused by events fires once, recorded in the transaction of the score change", async () => {
    await send([
      { event: "report_created", account: "acme", quantity: 6 },
      { event: "report_created", account: "globex", quantity: 9 },
      { event: "report_created", account: "initech", quantity: 5 },
    ]);
    expect(await band("acme")).toBe("medium");
    await evaluateTransitions(db);
    expect(await db.value<number>(sql`SELECT count(*) FROM alerts`)).toBe(0);

    await send([{ event: "complaint_escalated", account: "acme", quantity: 2 }]);
    expect(await band("acme")).toBe("low");
    expect(await db.all(sql`SELECT old_band, new_band FROM score_transitions`)).toEqual([{ old_band: "medium", new_band: "low" }]);
    expect(await evaluateTransitions(db)).toMatchObject({ transitions: 1, alerts: 1 });
    expect(await db.get(sql`SELECT title, summary FROM alerts`)).toEqual({
      title: "Acme dropped from Medium to Low",
      summary: "Score 30 (was 60). Why it moved: Complaint escalated −30, Report created +60.",
    });
    expect(await db.all(sql`SELECT assignee, status FROM tasks`)).toEqual([{ assignee: "Alice Moreau", status: "open" }]);
  });

  it("new weights that move accounts raise one summary and no alert per account", async () => {
    const { version: _current, ...config } = await loadConfigInForce(db);
    const version = await saveConfigVersion(db, actor, { ...config, types: { ...config.types, report_created: { weightHundredths: 300, active: true } } }, "Reports count less");
    expect(await startRecompute(db, TODAY)).toMatchObject({ status: "done", versionId: version });
    // Globex (90 → 27) and Initech (50 → 15) fell from high and medium to low.
    expect([await band("globex"), await band("initech")]).toEqual(["low", "low"]);
    expect(await db.value<number>(sql`SELECT count(*) FROM score_transitions WHERE new_config_version = ${version}`)).toBe(0);
    const counted = await db.all<{ version: number; accounts: number; lower: number }>(
      sql`SELECT config_version AS version, accounts, lower_band AS lower FROM score_configuration_changes`,
    );
    expect(counted).toEqual([{ version, accounts: expect.any(Number), lower: expect.any(Number) }]);
    expect(counted[0]?.lower).toBeGreaterThanOrEqual(2);
    const summary = await evaluateTransitions(db);
    expect(summary).toMatchObject({ transitions: 0, alerts: 1 });
    expect(await db.all(sql`SELECT rule_kind AS kind, title FROM alerts ORDER BY id`)).toEqual([
      { kind: "band_drop", title: "Acme dropped from Medium to Low" },
      { kind: "configuration", title: expect.stringMatching(/^New scoring rules changed \d+ accounts$/) },
    ]);
  });
});
