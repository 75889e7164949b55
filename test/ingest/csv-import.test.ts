import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayDay } from "@/lib/days";
import { analyseCsv, commitCsv } from "@/lib/ingestion/server/import/csv-import";
import { createTestDb, testDialect } from "../db";
import type { Db } from "@/db/client";
import { count, TEST_ACTOR, query, recomputeOnSqlite } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

beforeAll(async () => {
  await db.run(query("INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 500)"));
  await recomputeOnSqlite(db, todayDay());
});

const recent = new Date(Date.now() - 3_600_000).toISOString();

describe("CSV import (admin page)", () => {
  it("reports every row's problem with its line number and imports nothing", async () => {
    const text = [
      "id,name,renewal_date,arr,lifecycle_stage",
      "acme,Acme Inc,2027-03-31,120000,customer",
      ",Nameless,,,",
      "globex,Globex,31.12.2027,,",
      "initech,Initech,,-4,",
      "hooli,Hooli,,,prospect",
      "short,row",
    ].join("\n");
    const outcome = await commitCsv(db, TEST_ACTOR, { kind: "accounts", fileName: "bad.csv", text });
    expect(outcome.ok).toBe(false);
    expect(outcome.analysis.problems.map(({ reason: _reason, ...p }) => p)).toEqual([
      { line: 3, field: "id", message: "is required" },
      { line: 4, field: "renewal_date", message: "must be a date as YYYY-MM-DD" },
      { line: 5, field: "arr", message: "must be an amount of at least 0, like 12000 or 12,000.50" },
      { line: 6, field: "lifecycle_stage", message: "must be one of trial, customer, churned" },
      { line: 7, field: "", message: "has 2 cells; the header has 5" },
    ]);
    expect(await count(db, "SELECT count(*) FROM accounts")).toBe(0);
    expect(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'import.commit'")).toBe(0);
  });

  it("previews the columns, the first rows and what would change", async () => {
    const text = "ID;Name;Plan;Notes\nacme;Acme;Pro;hello\nglobex;Globex;;\n";
    const { analysis } = await analyseCsv(db, "accounts", text);
    expect(analysis.columns).toEqual([
      { header: "ID", field: "id" },
      { header: "Name", field: "name" },
      { header: "Plan", field: "plan" },
      { header: "Notes", field: null },
    ]);
    expect(analysis.sample).toEqual([
      { line: 2, cells: ["acme", "Acme", "Pro", "hello"] },
      { line: 3, cells: ["globex", "Globex", "", ""] },
    ]);
    expect(analysis.summary).toMatchObject({ rows: 2, newAccounts: 2, updatedAccounts: 0 });
  });

  it("imports a valid accounts file in one transaction, audited", async () => {
    const text = "id,name,plan,tags,user_ids\nacme,Acme Inc,Pro,vip,alice\nglobex,Globex,,,bob;carol\n";
    const outcome = await commitCsv(db, TEST_ACTOR, { kind: "accounts", fileName: "accounts.csv", text });
    expect(outcome.ok).toBe(true);
    expect(await count(db, "SELECT count(*) FROM accounts")).toBe(2);
    expect(await count(db, "SELECT count(*) FROM user_links")).toBe(3);
    expect(await db.get(query("SELECT actor_name, target, details FROM audit_log WHERE action = 'import.commit'"))).toEqual({
      actor_name: "Test admin",
      target: "csv:accounts",
      details: JSON.stringify({ file: "accounts.csv", rows: 2, accepted: 2, duplicates: 0, accountsCreated: 2 }),
    });
    if (testDialect === "sqlite") expect(await count(db, "SELECT count(*) FROM account_scores")).toBe(2);
  });

  it("refuses events for unknown accounts and unlinked users, then imports a valid file idempotently", async () => {
    const bad = `account_id,user_id,event,timestamp\nnobody,,Report Created,${recent}\n,stranger,Report Created,${recent}\nacme,,Report Created,not a time\n`;
    const refused = await commitCsv(db, TEST_ACTOR, { kind: "events", fileName: "bad.csv", text: bad });
    expect(refused.ok).toBe(false);
    expect(refused.analysis.problems.map((p) => [p.line, p.field])).toEqual([
      [2, "account_id"],
      [3, "user_id"],
      [4, "timestamp"],
    ]);

    const good = `account_id,user_id,event,timestamp,quantity\nacme,,Report Created,${recent},2\n,bob,Report Created,${recent},\nacme,,Webinar Attended,${recent},\n`;
    const first = await commitCsv(db, TEST_ACTOR, { kind: "events", fileName: "events.csv", text: good });
    expect(first.ok && first.result).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(first.analysis.summary.newEventTypes).toEqual(["Webinar Attended"]);
    const again = await commitCsv(db, TEST_ACTOR, { kind: "events", fileName: "events.csv", text: good });
    expect(again.ok && again.result).toMatchObject({ accepted: 0, duplicates: 3 });
    // 2 reports × 5 points for Acme; Globex has one report through bob.
    // The scores follow on SQLite (the score sync is not on PostgreSQL yet); the events are stored on both.
    expect(await count(db, "SELECT sum(r.count) FROM daily_rollups r JOIN accounts a ON a.id = r.account_id WHERE a.external_id = 'acme'")).toBe(3);
    if (testDialect === "sqlite") {
      const score = (account: string) => count(db, "SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ?", account);
      expect(await score("acme")).toBe(1000);
      expect(await score("globex")).toBe(500);
    }
  });

  it("says what is wrong with an unreadable or empty file", async () => {
    expect((await analyseCsv(db, "accounts", "")).analysis.fileProblems).toEqual(["The file is empty."]);
    expect((await analyseCsv(db, "accounts", "id,name\n")).analysis.fileProblems).toEqual(["The file has a header but no rows."]);
    expect((await analyseCsv(db, "accounts", 'id,name\n"acme,Acme\n')).analysis.fileProblems[0]).toMatch(/^This is not a readable CSV file/);
    expect((await analyseCsv(db, "events", "foo,bar\n1,2\n")).analysis.fileProblems).toHaveLength(3);
  });
});
