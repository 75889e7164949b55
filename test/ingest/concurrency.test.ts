import { SqliteDb } from "@/db/sqlite-client";
import { fork } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayDay } from "@/lib/days";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";
import { syncScoresSqlite as syncScores } from "@/lib/scoring/server/score-sync";
import { createTestDatabase } from "../db";
import { countSync, newWriteKey } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

const { db, cleanup } = createTestDatabase();
/** The data-layer handle on the same connection, for ingestion (this file checks scores, which run on SQLite only so far). */
const data = new SqliteDb(db.sqlite, db.file);
afterAll(cleanup);

const POOL = 3000;
const SENDERS = 4;
let key = "";

beforeAll(async () => {
  const type = db.sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths) VALUES (?, ?, ?)");
  type.run("report_created", "Report created", 200);
  type.run("session_started", "Session started", 100);
  recomputeAllScores(db, { asOfDay: todayDay() });
  key = await newWriteKey(data);
});

interface SenderTotals {
  accepted: number;
  duplicates: number;
  busy: number;
  requests: number;
}

/** A sender process: its own connection to the same file, as several servers or a CLI would have. */
function runSender(worker: number, busyTimeoutMs: number): Promise<SenderTotals> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, "concurrent-sender.ts"), [db.file, key, String(worker), String(POOL), String(busyTimeoutMs)], {
      execArgv: ["--import", "tsx", "--conditions=react-server"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let totals: SenderTotals | null = null;
    child.on("message", (message) => {
      totals = message as SenderTotals;
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 && totals ? resolve(totals) : reject(new Error(`sender ${worker} exited with ${code}`))));
  });
}

describe("concurrent senders with overlapping batches and retries", () => {
  it("store every distinct event exactly once", async () => {
    // Half the senders give up on the lock at once (503 + retry), half wait for it.
    const results = await Promise.all(Array.from({ length: SENDERS }, (_, i) => runSender(i, i % 2 === 0 ? 0 : 5000)));
    const accepted = results.reduce((sum, r) => sum + r.accepted, 0);
    const duplicates = results.reduce((sum, r) => sum + r.duplicates, 0);

    expect(countSync(db, "SELECT count(*) FROM events")).toBe(POOL);
    expect(countSync(db, "SELECT count(DISTINCT message_id) FROM events")).toBe(POOL);
    expect(countSync(db, "SELECT sum(count) FROM daily_rollups")).toBe(POOL);
    expect(countSync(db, "SELECT count(*) FROM pending_events")).toBe(0);
    // Every sender sent every event at least once: exactly one of all those sends stored it.
    expect(accepted).toBe(POOL);
    expect(accepted + duplicates).toBeGreaterThanOrEqual(SENDERS * POOL);
    expect(countSync(db, "SELECT count(*) FROM accounts")).toBe(25);

    // The scores the senders left behind equal a recompute from scratch.
    syncScores(db);
    const synced = db.sqlite.prepare("SELECT * FROM account_scores ORDER BY account_id").all();
    recomputeAllScores(db, { asOfDay: todayDay() });
    expect(db.sqlite.prepare("SELECT * FROM account_scores ORDER BY account_id").all()).toEqual(synced);
  }, 120_000);
});
