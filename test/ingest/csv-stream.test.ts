import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { importCsvStream } from "@/lib/server/import/csv-stream";
import { createTestDatabase } from "../db";
import { count, TEST_ACTOR } from "./helpers";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const stream = (text: string) => Readable.from([Buffer.from(text)]);

describe("streaming CSV import (the CLI's engine)", () => {
  it("imports accounts then events in chunks, skipping rows with problems by line", async () => {
    const accounts = await importCsvStream(db, {
      kind: "accounts",
      input: stream("id;name;plan\nacme;Acme;Pro\nglobex;Globex;\n;Nameless;\n"),
      actor: TEST_ACTOR,
      fileName: "a.csv",
      chunkRows: 1,
    });
    expect(accounts).toMatchObject({ rows: 3, accepted: 2, accountsCreated: 2, problemCount: 1, problems: [{ line: 4, field: "id", message: "is required" }] });

    const lines = ["account_id,event,timestamp"];
    for (let i = 0; i < 250; i++) lines.push(`${i % 2 ? "acme" : "globex"},Report Created,2026-11-${String(1 + (i % 20)).padStart(2, "0")}T10:00:00Z`);
    lines.push("ghost,Report Created,2026-11-02");
    const events = await importCsvStream(db, { kind: "events", input: stream(lines.join("\n")), actor: TEST_ACTOR, fileName: "e.csv", chunkRows: 100 });
    expect(events).toMatchObject({ rows: 251, accepted: 250, duplicates: 0, problemCount: 1 });
    expect(events.problems[0]).toEqual({ line: 252, field: "account_id", message: 'account "ghost" does not exist; import it first' });

    const again = await importCsvStream(db, { kind: "events", input: stream(lines.join("\n")), actor: TEST_ACTOR, fileName: "e.csv" });
    expect(again).toMatchObject({ accepted: 0, duplicates: 250 });
    expect(count(db, "SELECT count(*) FROM events")).toBe(250);
    expect(count(db, "SELECT sum(count) FROM daily_rollups")).toBe(250);
    expect(count(db, "SELECT count(*) FROM audit_log WHERE action = 'import.commit'")).toBe(3);
  });

  it("stops at a header without the required columns", async () => {
    const summary = await importCsvStream(db, { kind: "events", input: stream("foo,bar\n1,2\n"), actor: TEST_ACTOR, fileName: "x.csv" });
    expect(summary.fileProblems.length).toBeGreaterThan(0);
    expect(summary.accepted).toBe(0);
  });

  it("runs as `npm run import` with a progress bar and exit codes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-cli-"));
    const file = path.join(dir, "accounts.csv");
    fs.writeFileSync(file, "id,name\nzeta,Zeta\n");
    const env = { ...process.env, DATABASE_PATH: db.file };
    const out = execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/import.ts", "--kind", "accounts", file], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/^1 rows in .*: 1 stored, 0 already there, 0 with problems/m);
    expect(db.sqlite.prepare("SELECT name FROM accounts WHERE external_id = 'zeta'").pluck().get()).toBe("Zeta");
    fs.writeFileSync(file, "id,name\n,Nameless\n");
    let status = 0;
    try {
      execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/import.ts", "--kind", "accounts", file], { env, stdio: "ignore" });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
