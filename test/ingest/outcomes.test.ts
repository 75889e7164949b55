import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoDateFromDay, todayDay } from "@/lib/days";
import { openApiDocument } from "@/lib/ingestion/openapi";
import { Readable } from "node:stream";
import { analyseCsv, commitCsv } from "@/lib/ingestion/server/import/csv-import";
import { importCsvStream } from "@/lib/ingestion/server/import/csv-stream";
import { handleNativeOutcomes, handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { createTestDb } from "../db";
import type { Db } from "@/db/client";
import { count, json, newWriteKey, post, TEST_ACTOR, query, recomputeOnSqlite } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

let key = "";
beforeAll(async () => {
  const account = (...values: unknown[]) => db.run(query("INSERT INTO accounts (external_id, name, arr) VALUES (?, ?, ?)", ...values));
  await account("o-1", "Outcome One", 12000);
  await account("o-2", "Outcome Two", 50000);
  await account("o-3", "Outcome Three", null);
  await recomputeOnSqlite(db, todayDay());
  key = await newWriteKey(db);
});

const outcomes = (body: unknown, options: Parameters<typeof post>[2] = {}) =>
  handleNativeOutcomes(db, post("/api/v1/outcomes", body, { authorization: `Bearer ${key}`, ...options }));

interface StoredOutcome {
  outcome: string;
  arrBefore: number | null;
  arrAfter: number | null;
  source: string;
}

function stored(externalId: string, renewalDate: string): Promise<StoredOutcome | undefined> {
  return db.get<StoredOutcome>(
    query(
      `SELECT o.outcome, o.arr_before AS "arrBefore", o.arr_after AS "arrAfter", o.source FROM renewal_outcomes o
         JOIN accounts a ON a.id = o.account_id WHERE a.external_id = ? AND o.renewal_date = ?`,
      externalId,
      renewalDate,
    ),
  );
}

describe("POST /api/v1/outcomes", () => {
  it("records outcomes, filling the ARR before from the account and 0 after a churn", async () => {
    const res = await outcomes({
      outcomes: [
        { accountId: "o-1", renewalDate: "2026-01-31", outcome: "churned" },
        { accountId: "o-2", renewalDate: "2026-02-28", outcome: "expanded", arrBefore: 50000, arrAfter: 65000 },
      ],
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ success: true, accepted: 2, duplicates: 0, rejected: [], created: 2, updated: 0 });
    expect(await stored("o-1", "2026-01-31")).toEqual({ outcome: "churned", arrBefore: 12000, arrAfter: 0, source: "api" });
    expect(await stored("o-2", "2026-02-28")).toEqual({ outcome: "expanded", arrBefore: 50000, arrAfter: 65000, source: "api" });
  });

  it("stores the same outcome sent twice once, and a changed one as a correction", async () => {
    const body = { outcomes: [{ accountId: "o-3", renewalDate: "2026-03-31", outcome: "renewed", arrBefore: 8000, arrAfter: 8000 }] };
    expect(await json(await outcomes(body))).toMatchObject({ accepted: 1, duplicates: 0, created: 1, updated: 0 });
    expect(await json(await outcomes(body))).toMatchObject({ accepted: 0, duplicates: 1, created: 0, updated: 0 });
    expect(await count(db, "SELECT count(*) FROM renewal_outcomes WHERE renewal_date = '2026-03-31'")).toBe(1);
    // A correction: it was a contraction. ARR left out keeps what is stored.
    const corrected = await json(await outcomes({ outcomes: [{ accountId: "o-3", renewalDate: "2026-03-31", outcome: "contracted", arrAfter: 6000 }] }));
    expect(corrected).toMatchObject({ accepted: 1, duplicates: 0, created: 0, updated: 1 });
    expect(await stored("o-3", "2026-03-31")).toEqual({ outcome: "contracted", arrBefore: 8000, arrAfter: 6000, source: "api" });
    expect(await count(db, "SELECT count(*) FROM renewal_outcomes WHERE renewal_date = '2026-03-31'")).toBe(1);
  });

  it("rejects invalid outcomes by index, naming the field, and stores the valid ones", async () => {
    const ahead = isoDateFromDay(todayDay() + 400);
    const body = await json(
      await outcomes({
        outcomes: [
          { accountId: "o-1", renewalDate: "31/01/2026", outcome: "renewed" },
          { accountId: "o-1", renewalDate: "2025-01-31", outcome: "won" },
          { renewalDate: "2025-01-31", outcome: "renewed" },
          { accountId: "o-1", renewalDate: "2025-01-31", outcome: "churned", arrAfter: 500 },
          { accountId: "o-1", renewalDate: "2025-01-31", outcome: "expanded", arrBefore: 900, arrAfter: 800 },
          { accountId: "o-1", renewalDate: ahead, outcome: "renewed" },
          { accountId: "nobody", renewalDate: "2025-01-31", outcome: "renewed" },
          { accountId: "o-1", renewalDate: "2025-01-31", outcome: "renewed", arrBefore: -1 },
          { accountId: "o-1", renewalDate: "2025-01-31", outcome: "renewed", colour: "red" },
          { accountId: "o-2", renewalDate: "2025-02-28", outcome: "renewed" },
        ],
      }),
    );
    expect(body).toMatchObject({ accepted: 1, created: 1 });
    const rejected = body.rejected as { index: number; field: string; message: string; messageId: string | null }[];
    expect(rejected.map((r) => [r.index, r.field])).toEqual([
      [0, "renewalDate"],
      [1, "outcome"],
      [2, "accountId"],
      [3, "arrAfter"],
      [4, "arrAfter"],
      [5, "renewalDate"],
      [6, "accountId"],
      [7, "arrBefore"],
      [8, ""],
    ]);
    expect(rejected[3]?.message).toBe("must be 0 (or left out) for a churn");
    expect(rejected[5]?.message).toBe("must not be more than a year ahead");
    expect(rejected[6]).toMatchObject({ messageId: "nobody@2025-01-31", message: 'account "nobody" does not exist; create it first' });
    expect(await count(db, "SELECT count(*) FROM renewal_outcomes WHERE renewal_date = '2025-01-31'")).toBe(0);
  });

  it("answers a body of the wrong shape with 400 naming the list, and a bad key with 401", async () => {
    const res = await outcomes({ outcome: [] });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ success: false, error: { code: "invalid_request", field: "outcomes" } });
    expect((await outcomes({ outcomes: [] }, { authorization: "Bearer ces_nope" })).status).toBe(401);
    const malformed = await handleNativeOutcomes(db, post("/api/v1/outcomes", "{not json", { authorization: `Bearer ${key}` }));
    expect(malformed.status).toBe(400);
  });

  it("is described in the OpenAPI document from the validating schema", async () => {
    const doc = openApiDocument("http://localhost") as { paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: object; required?: string[] }> } };
    expect(doc.paths["/api/v1/outcomes"]).toBeDefined();
    const schema = doc.components.schemas.Outcome;
    expect(Object.keys(schema?.properties ?? {})).toEqual(["accountId", "renewalDate", "outcome", "arrBefore", "arrAfter"]);
    expect(schema?.required).toEqual(["accountId", "renewalDate", "outcome"]);
  });
});

describe("Segment group traits", () => {
  const group = (traits: Record<string, unknown>, groupId = "o-seg") =>
    handleSegmentRequest(db, post("/v1/group", { userId: "u-seg", groupId, traits }, { key }), "group");

  it("record an outcome beside the account's own traits, once", async () => {
    const traits = { name: "Segment Co", arr: 30000, renewal_outcome: "Renewed", renewal_outcome_date: "2026-04-30", renewal_arr_after: 32000 };
    expect((await group(traits)).status).toBe(200);
    // The same call again (no messageId: one is derived from its content) is a duplicate.
    expect(await json(await group(traits))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await stored("o-seg", "2026-04-30")).toEqual({ outcome: "renewed", arrBefore: 30000, arrAfter: 32000, source: "segment" });
    expect(await count(db, "SELECT count(*) FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id WHERE a.external_id = 'o-seg'")).toBe(1);
  });

  it("reject an outcome without its date, or a date without an outcome, naming the trait", async () => {
    const noDate = await group({ renewalOutcome: "churned" });
    expect(noDate.status).toBe(400);
    expect(await json(noDate)).toMatchObject({ error: { field: "traits.renewal_outcome_date" } });
    const noOutcome = await group({ renewal_outcome_date: "2026-04-30" });
    expect(await json(noOutcome)).toMatchObject({ error: { field: "traits.renewal_outcome" } });
    const badOutcome = await group({ renewal_outcome: "maybe", renewal_outcome_date: "2026-04-30" });
    expect(await json(badOutcome)).toMatchObject({ error: { field: "traits.renewal_outcome", message: "traits.renewal_outcome: must be one of renewed, expanded, contracted, churned" } });
  });
});

describe("CSV import of outcomes", () => {
  it("checks every row against the accounts and within the file, naming the column", async () => {
    const text = [
      "Account ID,Renewal Date,Outcome,ARR before,ARR after",
      "o-1,2024-01-31,renewed,12000,12000",
      "ghost,2024-01-31,renewed,,",
      "o-2,,churned,,",
      "o-2,2024-02-28,paused,,",
      "o-2,2024-03-31,churned,100,50",
      "o-1,2024-01-31,churned,,",
    ].join("\n");
    const outcome = await commitCsv(db, TEST_ACTOR, { kind: "outcomes", fileName: "bad.csv", text });
    expect(outcome.ok).toBe(false);
    expect(outcome.analysis.problems.map(({ reason: _reason, ...p }) => p)).toEqual([
      { line: 3, field: "Account ID", message: 'account "ghost" does not exist; import it first' },
      { line: 4, field: "Renewal Date", message: "is required with a renewal outcome" },
      { line: 5, field: "Outcome", message: "must be one of renewed, expanded, contracted, churned" },
      { line: 6, field: "ARR after", message: "must be 0 (or left out) for a churn" },
      { line: 7, field: "Outcome", message: 'the renewal of "o-1" on 2024-01-31 is on line 2 too, with other values; keep one' },
    ]);
    expect(await count(db, "SELECT count(*) FROM renewal_outcomes WHERE renewal_date LIKE '2024-%'")).toBe(0);
  });

  it("imports a valid file in one audited transaction, and the same file again changes nothing", async () => {
    const text = "account_id;renewal_date;outcome;arr_before;arr_after\no-1;2024-01-31;Renewed;12,000;12,000\no-2;2024-02-29;downsell;50000;40000\n";
    const preview = (await analyseCsv(db, "outcomes", text)).analysis;
    expect(preview.summary).toMatchObject({ rows: 2, newOutcomes: 2, knownOutcomes: 0 });
    const first = await commitCsv(db, TEST_ACTOR, { kind: "outcomes", fileName: "outcomes.csv", text });
    expect(first.ok && first.result).toMatchObject({ accepted: 2, duplicates: 0, outcomesCreated: 2 });
    expect(await stored("o-2", "2024-02-29")).toEqual({ outcome: "contracted", arrBefore: 50000, arrAfter: 40000, source: "csv" });
    const audit = await db.get<{ target: string; details: string }>(query("SELECT target, details FROM audit_log WHERE action = 'import.commit' ORDER BY id DESC LIMIT 1"));
    expect(audit?.target).toBe("csv:outcomes");
    expect(JSON.parse(audit?.details ?? "{}")).toMatchObject({ file: "outcomes.csv", rows: 2, accepted: 2, outcomesCreated: 2, outcomesUpdated: 0 });

    expect((await analyseCsv(db, "outcomes", text)).analysis.summary).toMatchObject({ newOutcomes: 0, knownOutcomes: 2 });
    const again = await commitCsv(db, TEST_ACTOR, { kind: "outcomes", fileName: "outcomes.csv", text });
    expect(again.ok && again.result).toMatchObject({ accepted: 0, duplicates: 2, outcomesCreated: 0, outcomesUpdated: 0 });
    expect(await count(db, "SELECT count(*) FROM renewal_outcomes WHERE renewal_date LIKE '2024-%'")).toBe(2);
  });

  it("needs the account, date and outcome columns", async () => {
    const { analysis } = await analyseCsv(db, "outcomes", "account_id,arr\no-1,5\n");
    expect(analysis.fileProblems).toEqual([
      'The file needs a "renewal_date" column (the renewal each outcome settles, e.g. 2026-03-31).',
      'The file needs an "outcome" column (renewed, expanded, contracted or churned).',
    ]);
  });
});

describe("npm run import -- --kind outcomes (streaming)", () => {
  it("stores valid rows, reports the others by line, and is safe to run again", async () => {
    const text = "account_id,renewal_date,outcome\no-3,2023-05-31,churned\nghost,2023-05-31,renewed\no-2,2023-06-30,expanded\n";
    const run = () => importCsvStream(db, { kind: "outcomes", input: Readable.from([text]), actor: TEST_ACTOR, fileName: "cli.csv" });
    const first = await run();
    expect(first).toMatchObject({ rows: 3, accepted: 2, duplicates: 0, outcomesCreated: 2, problemCount: 1 });
    expect(first.problems).toEqual([{ line: 3, field: "account_id", message: 'account "ghost" does not exist; import it first', reason: "account does not exist; import it first" }]);
    const second = await run();
    expect(second).toMatchObject({ accepted: 0, duplicates: 2, outcomesCreated: 0 });
    expect(await stored("o-3", "2023-05-31")).toEqual({ outcome: "churned", arrBefore: null, arrAfter: 0, source: "csv" });
    const audit = await db.value(query("SELECT details FROM audit_log WHERE action = 'import.commit' ORDER BY id DESC LIMIT 1")) as string;
    expect(JSON.parse(audit)).toMatchObject({ via: "cli", outcomesCreated: 0, duplicates: 2 });
  });
});
