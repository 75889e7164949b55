import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsvStream } from "@/lib/ingestion/server/import/csv-stream";
import { createTestDb } from "../db";
import type { Db } from "@/db/client";
import { count, TEST_ACTOR, commandEnv, query } from "./helpers";

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

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
    expect(events.problems[0]).toEqual({ line: 252, field: "account_id", message: 'account "ghost" does not exist; import it first', reason: "account does not exist; import it first" });

    const again = await importCsvStream(db, { kind: "events", input: stream(lines.join("\n")), actor: TEST_ACTOR, fileName: "e.csv" });
    expect(again).toMatchObject({ accepted: 0, duplicates: 250 });
    expect(await count(db, "SELECT count(*) FROM events")).toBe(250);
    expect(await count(db, "SELECT sum(count) FROM daily_rollups")).toBe(250);
    expect(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'import.commit'")).toBe(3);
  });

  it("reports progress only for committed rows, up to the last byte of the last row", async () => {
    const lines = ["account_id,event,timestamp"];
    for (let i = 0; i < 95; i++) lines.push(`acme,Progress Checked,2026-11-${String(1 + (i % 20)).padStart(2, "0")}T11:${String(i % 60).padStart(2, "0")}:00Z`);
    const text = `${lines.join("\n")}\n`;
    const before = await count(db, "SELECT count(*) FROM events");
    const seen: { rows: number; bytes: number; stored: number }[] = [];
    await importCsvStream(db, {
      kind: "events",
      input: stream(text),
      actor: TEST_ACTOR,
      fileName: "p.csv",
      chunkRows: 10,
      onProgress: async (p) => {
        seen.push({ ...p, stored: (await count(db, "SELECT count(*) FROM events")) - before });
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(10);
    for (const p of seen) expect(p.stored).toBe(p.rows);
    expect(seen.slice(0, -1).every((p) => p.bytes < text.length)).toBe(true);
    expect(seen[seen.length - 1]).toEqual({ rows: 95, bytes: text.length, stored: 95 });
  });

  it("stops at a header without the required columns", async () => {
    const summary = await importCsvStream(db, { kind: "events", input: stream("foo,bar\n1,2\n"), actor: TEST_ACTOR, fileName: "x.csv" });
    expect(summary.fileProblems.length).toBeGreaterThan(0);
    expect(summary.accepted).toBe(0);
  });

  it("runs as `npm run import` with a progress bar and exit codes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-cli-"));
    const file = path.join(dir, "accounts.csv");
    fs.writeFileSync(file, "id,name\nzeta,Zeta\n");
    const env = commandEnv(db);
    const out = execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/import.ts", "--kind", "accounts", file], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/^1 rows in .*: 1 stored, 0 already there, 0 with problems/m);
    expect(await db.value(query("SELECT name FROM accounts WHERE external_id = 'zeta'"))).toBe("Zeta");
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

  it("`npm run import` into a log file: 100 % only with every row committed, rejects beside the input, problems by reason", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-cli-"));
    const file = path.join(dir, "events.csv");
    const lines = ["account_id,event,timestamp"];
    for (let i = 0; i < 1000; i++) {
      const time = `2026-10-${String(1 + (i % 28)).padStart(2, "0")}T08:${String(i % 60).padStart(2, "0")}:${String(i % 7).padStart(2, "0")}Z`;
      lines.push(i % 100 === 7 ? `nobody,Login,${time}` : i % 100 === 8 ? `acme,Login,soon` : i % 250 === 9 ? `acme,,${time}` : `acme,Login,${time}#${i}`.replace(`#${i}`, ""));
    }
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    const env = commandEnv(db);
    const run = (...extra: string[]) => {
      const result = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/import.ts", "--kind", "events", file, "--chunk-rows", "100", ...extra], { env, encoding: "utf8" });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };

    const dry = run("--dry-run");
    expect(dry.status).toBe(1);
    expect(dry.stderr).toContain("Rows with problems by reason (nothing was stored):");
    expect(dry.stderr).toMatch(/^ +10 {2}account_id: account does not exist; import it first$/m);
    expect(dry.stderr).toMatch(/^ +10 {2}timestamp: must be a date-time/m);
    expect(dry.stderr).toMatch(/^ +4 {2}event: is required$/m);
    expect(dry.stdout).toMatch(/^1,000 rows in .*: 976 valid, 0 already there, 24 with problems/m);
    expect(await count(db, "SELECT count(*) FROM events WHERE type_id = (SELECT id FROM event_types WHERE key = 'login')")).toBe(0);

    const real = run();
    expect(real.status).toBe(1);
    const progress = real.stderr.split("\n").filter((l) => /\] +\d+ %/.test(l));
    // The output is not a terminal: a line every few seconds, and always the final one.
    expect(progress.at(-1)).toMatch(/\] 100 % {2}1,000 rows/);
    for (const line of progress) if (/ 100 % /.test(line)) expect(line).toContain(" 1,000 rows");
    expect(real.stdout).toMatch(/^1,000 rows in .*: 976 stored, 0 already there, 24 with problems/m);
    const rejectsFile = path.join(dir, "events.rejects.csv");
    expect(real.stderr).toContain(`All 24 rows with problems, with their line, column and reason: ${rejectsFile}`);
    const rejects = fs.readFileSync(rejectsFile, "utf8").trimEnd().split("\r\n");
    expect(rejects).toHaveLength(25);
    expect(rejects[0]).toBe("rejected_line,rejected_field,rejected_reason,account_id,event,timestamp");
    expect(rejects[1]).toMatch(/^9,account_id,"account ""nobody"" does not exist; import it first",nobody,Login,/);

    // Fixed and imported: the rejects are gone, and so is their file.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/nobody,/g, "acme,").replace(/,soon/g, ",2026-10-30T10:00:00Z").replace(/acme,,/g, "acme,Logout,"));
    const fixed = run();
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toMatch(/: 24 stored, 976 already there, 0 with problems/);
    expect(fs.existsSync(rejectsFile)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
