import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { analyseCsv, commitCsv } from "@/lib/ingestion/server/import/csv-import";
import { importCsvStream } from "@/lib/ingestion/server/import/csv-stream";
import { createTestDb } from "../db";
import type { Db } from "@/db/client";
import { count, TEST_ACTOR } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

/**
 * Issue 22: importing an edited events file again stores exactly the events not stored yet —
 * through the CLI's streaming import and through the admin page's import alike. Each case
 * starts from a fresh database, imports the original file (three bad rows are rejected),
 * edits the file as a user would and imports it again.
 */
const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ces-reimport-"));
cleanups.push(() => fs.rmSync(work, { recursive: true, force: true }));

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const [t1, t2, t3] = [hoursAgo(30), hoursAgo(20), hoursAgo(5)];

const HEADER = "account_id,user_id,event,timestamp,page";
/** The original file, by line number (line 1 is the header). */
const ORIGINAL: Record<number, string> = {
  2: `acme,u1,Report Created,${t1},`,
  3: `acme,u1,Report Created,${t1},`, // an exact repeat of line 2: a second report
  4: `globex,u2,Seat added,${t2},`,
  5: `ghost,u3,Report Created,${t1},`, // unknown account
  6: `acme,u4,Seat added,yesterday,`, // bad timestamp
  7: `globex,u2,,${t2},`, // no event name
  8: `acme,u5,Report Created,${t3},/reports/42`,
  9: `initech,,Login,${t2},`,
  10: `acme,u1,Report Created,${t1},`, // a third report, further down
  11: `globex,u6,Login,${t3},`,
};
const VALID = 7;
/** The three bad lines, fixed. */
const FIXES: Record<number, string> = {
  5: `acme,u3,Report Created,${t1},`,
  6: `acme,u4,Seat added,${t2},`,
  7: `globex,u2,Login,${t2},`,
};

const file = (lines: Record<number, string>, order?: number[]) =>
  [HEADER, ...(order ?? Object.keys(lines).map(Number)).map((n) => lines[n]).filter((l) => l !== undefined)].join("\n") + "\n";

interface Outcome {
  accepted: number;
  duplicates: number;
  problems: number;
  /** The rejects file's text (null when no row was rejected). */
  rejects: string | null;
}

type Importer = (db: Db, text: string) => Promise<Outcome>;

let files = 0;
const viaCli: Importer = async (db, text) => {
  const rejectsFile = path.join(work, `import-${++files}.rejects.csv`);
  const summary = await importCsvStream(db, { kind: "events", input: Readable.from([Buffer.from(text)]), actor: TEST_ACTOR, fileName: "events.csv", chunkRows: 2, rejectsFile });
  return {
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    problems: summary.problemCount,
    rejects: summary.rejectsFile ? fs.readFileSync(summary.rejectsFile, "utf8") : null,
  };
};

const viaWeb: Importer = async (db, text) => {
  const { rejectsCsv } = await analyseCsv(db, "events", text, { withRejects: true });
  const outcome = await commitCsv(db, TEST_ACTOR, { kind: "events", fileName: "events.csv", text, skipProblems: true });
  return {
    accepted: outcome.ok ? outcome.result.accepted : 0,
    duplicates: outcome.ok ? outcome.result.duplicates : 0,
    problems: outcome.analysis.problemCount,
    rejects: rejectsCsv,
  };
};

async function freshDatabase(importer: Importer): Promise<{ db: Db; first: Outcome }> {
  const { db, cleanup } = await createTestDb();
  cleanups.push(cleanup);
  const accounts = await commitCsv(db, TEST_ACTOR, { kind: "accounts", fileName: "accounts.csv", text: "id,name\nacme,Acme\nglobex,Globex\ninitech,Initech\n" });
  expect(accounts.ok).toBe(true);
  const first = await importer(db, file(ORIGINAL));
  expect(first).toMatchObject({ accepted: VALID, duplicates: 0, problems: 3 });
  return { db, first };
}

async function stored(db: Db): Promise<{ events: number; rollups: number }> {
  return { events: await count(db, "SELECT count(*) FROM events"), rollups: await count(db, "SELECT coalesce(sum(count), 0) FROM daily_rollups") };
}

describe.each([
  ["the CLI (npm run import)", viaCli],
  ["the admin page (skipping the rows with problems)", viaWeb],
])("re-importing an edited events file through %s", (_name, importer) => {
  it("the same file again: nothing new", async () => {
    const { db } = await freshDatabase(importer);
    expect(await importer(db, file(ORIGINAL))).toMatchObject({ accepted: 0, duplicates: VALID, problems: 3 });
    expect(await stored(db)).toEqual({ events: VALID, rollups: VALID });
  });

  it("delete lines (the bad ones, one copy of a repeated row, another row): nothing new", async () => {
    const { db } = await freshDatabase(importer);
    const edited = { ...ORIGINAL };
    for (const n of [3, 5, 6, 7, 9]) delete edited[n];
    expect(await importer(db, file(edited))).toMatchObject({ accepted: 0, duplicates: 5, problems: 0, rejects: null });
    expect(await stored(db)).toEqual({ events: VALID, rollups: VALID });
  });

  it("reorder lines: nothing new", async () => {
    const { db } = await freshDatabase(importer);
    expect(await importer(db, file(ORIGINAL, [11, 10, 7, 2, 9, 5, 4, 8, 3, 6]))).toMatchObject({ accepted: 0, duplicates: VALID, problems: 3 });
    expect(await stored(db)).toEqual({ events: VALID, rollups: VALID });
  });

  it("fix the bad lines in place: exactly the fixed rows, even one that repeats another row", async () => {
    const { db } = await freshDatabase(importer);
    // Line 6 fixed to say exactly what lines 2, 3 and 10 say: the fourth report.
    const fixed = { ...ORIGINAL, ...FIXES, 6: ORIGINAL[2] ?? "" };
    expect(await importer(db, file(fixed))).toMatchObject({ accepted: 3, duplicates: VALID, problems: 0, rejects: null });
    expect(await stored(db)).toEqual({ events: VALID + 3, rollups: VALID + 3 });
    expect(await count(db, "SELECT sum(r.count) FROM daily_rollups r JOIN event_types t ON t.id = r.type_id WHERE t.key = 'report_created'")).toBe(6);
  });

  it("split the fixed file in two: each part stores exactly its rows not stored yet", async () => {
    const { db } = await freshDatabase(importer);
    const fixed = { ...ORIGINAL, ...FIXES };
    // The copies of the repeated row end up in different parts: they are stored already.
    const [head, tail] = [[2, 4, 5, 6], [3, 7, 8, 9, 10, 11]];
    expect(await importer(db, file(fixed, head))).toMatchObject({ accepted: 2, duplicates: 2, problems: 0 });
    expect(await importer(db, file(fixed, tail))).toMatchObject({ accepted: 1, duplicates: 5, problems: 0 });
    expect(await stored(db)).toEqual({ events: VALID + 3, rollups: VALID + 3 });
    // And the whole fixed file after its parts: nothing new.
    expect(await importer(db, file(fixed))).toMatchObject({ accepted: 0, duplicates: VALID + 3 });
  });

  it("fix the rejects file and import it: the fixed rows, which the fixed original then finds stored", async () => {
    const { db, first } = await freshDatabase(importer);
    const rejects = first.rejects ?? "";
    const rows = rejects.trimEnd().split("\r\n");
    expect(rows[0]).toBe(`rejected_line,rejected_field,rejected_reason,${HEADER}`);
    expect(rows.slice(1).map((r) => r.split(",").slice(0, 2).join(","))).toEqual(["5,account_id", "6,timestamp", "7,event"]);
    const fixedRejects = rejects.replace("ghost,u3", "acme,u3").replace("yesterday", t2).replace("globex,u2,,", "globex,u2,Login,");
    expect(await importer(db, fixedRejects)).toMatchObject({ accepted: 3, duplicates: 0, problems: 0, rejects: null });
    expect(await importer(db, file({ ...ORIGINAL, ...FIXES }))).toMatchObject({ accepted: 0, duplicates: VALID + 3, problems: 0 });
    expect(await stored(db)).toEqual({ events: VALID + 3, rollups: VALID + 3 });
  });
});

describe("the rejects file", () => {
  it("is the same file from the CLI and from the admin page, with every rejected row", async () => {
    const { db, cleanup } = await createTestDb();
    cleanups.push(cleanup);
    await commitCsv(db, TEST_ACTOR, { kind: "accounts", fileName: "accounts.csv", text: "id\nacme\n" });
    const lines = ["account_id;event;timestamp"];
    for (let i = 0; i < 1200; i++) lines.push(i % 4 === 0 ? `nobody-${i};Login;${t1}` : i % 4 === 1 ? `acme;Login;not a time ${i}` : `acme;Login;${hoursAgo(1 + i / 100)}`);
    const text = `${lines.join("\n")}\n`;
    const cli = await viaCli(db, text);
    const web = await analyseCsv(db, "events", text, { withRejects: true });
    expect(cli.problems).toBe(600);
    expect(web.analysis.problemCount).toBe(600);
    expect(web.analysis.problems).toHaveLength(200);
    expect(cli.rejects).toBe(web.rejectsCsv);
    const rows = (cli.rejects ?? "").trimEnd().split("\r\n");
    expect(rows).toHaveLength(601);
    expect(rows[0]).toBe("rejected_line;rejected_field;rejected_reason;account_id;event;timestamp");
    expect(rows[1]).toBe(`2;account_id;"account ""nobody-0"" does not exist; import it first";nobody-0;Login;${t1}`);
    expect(web.analysis.problemsByReason).toEqual([
      { field: "account_id", reason: "account does not exist; import it first", count: 300 },
      { field: "timestamp", reason: "must be a date-time like 2026-11-22T09:30:00Z (or a date, or Unix seconds)", count: 300 },
    ]);
  });
});
