import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { getAccountDetail } from "@/lib/accounts/server/account-detail";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";

/**
 * Upgrading a database made before event-side keys led with the day (migration day_first_event_keys): every
 * event and rollup is still there, the account-ordered indexes are gone and the reads that
 * used them answer the same from the day-first keys.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-migration-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as it was before `tag` (the journal cut there). */
function migrationsBefore(tag: string): string {
  const folder = path.join(dir, "migrations-before");
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  const entries = journal.entries.slice(0, cut);
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  fs.writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  return folder;
}

const TODAY = 20_500;
const CONTENT = {
  events: "SELECT count(*) AS n, total(id * 7 + account_id * 3 + type_id + occurred_at % 1000 + day + quantity) AS sum, group_concat(message_id, ',') AS ids FROM (SELECT * FROM events ORDER BY id)",
  rollups: "SELECT count(*) AS n, total(day * 31 + account_id * 7 + type_id * 3 + count) AS sum FROM daily_rollups",
};

describe("migration day_first_event_keys: day-first event keys", () => {
  const file = path.join(dir, "old.db");
  const before: Record<string, unknown> = {};
  let accountId = 0;

  it("upgrades a database filled under the account-ordered indexes, keeping every row", async () => {
    // Found by name, not number: the migration's number changes when it is regenerated on top of others.
    const tag = fs.readdirSync(MIGRATIONS_FOLDER).find((f) => /^\d{4}_day_first_event_keys\.sql$/.test(f))?.replace(/\.sql$/, "");
    expect(tag).toBeDefined();
    const old = openDatabase(file, { migrationsFolder: migrationsBefore(tag ?? "") });
    const s = old.sqlite;
    const indexes = () => (s.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('events', 'daily_rollups')").pluck().all() as string[]).sort();
    expect(indexes()).toContain("events_account_time_idx");
    expect(indexes()).toContain("daily_rollups_account_day_idx");
    const type = s.prepare("INSERT INTO event_types (key, label, weight_hundredths) VALUES (?, ?, ?) RETURNING id").pluck();
    const types = [type.get("session_started", "Session started", 100) as number, type.get("report_created", "Report created", 250) as number];
    const account = s.prepare("INSERT INTO accounts (external_id, name) VALUES (?, ?) RETURNING id").pluck();
    const accounts = Array.from({ length: 12 }, (_, i) => account.get(`a-${i}`, `Account ${i}`) as number);
    accountId = accounts[3] ?? 0;
    const event = s.prepare("INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const rollup = s.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count");
    s.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const a = accounts[(i * 7) % accounts.length] ?? 0;
        const t = types[i % 2] ?? 0;
        const day = TODAY - ((i * 13) % 400);
        const at = day * 86_400_000 + ((i * 3_600_001) % 86_400_000);
        const quantity = 1 + (i % 3);
        event.run(a, t, at, day, quantity, `m-${i}`, at + 5);
        rollup.run(day, a, t, quantity);
      }
    })();
    before.events = s.prepare(CONTENT.events).get();
    before.rollups = s.prepare(CONTENT.rollups).get();
    before.latest = s.prepare("SELECT id FROM events WHERE account_id = ? ORDER BY occurred_at DESC, id DESC LIMIT 25").pluck().all(accountId);
    s.close();

    const upgraded = openDatabase(file);
    const u = upgraded.sqlite;
    expect(u.prepare(CONTENT.events).get()).toEqual(before.events);
    expect(u.prepare(CONTENT.rollups).get()).toEqual(before.rollups);
    const after = (u.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('events', 'daily_rollups')").pluck().all() as string[]).sort();
    expect(after).not.toContain("events_account_time_idx");
    expect(after).not.toContain("daily_rollups_account_day_idx");
    expect(after).toContain("events_day_account_time_idx");
    expect(u.pragma("integrity_check", { simple: true })).toBe("ok");

    // The reads that used the dropped indexes give the same answers from the day-first keys.
    recomputeAllScores(upgraded, { asOfDay: TODAY });
    const detail = await getAccountDetail(new SqliteDb(u, upgraded.file), { accountId });
    expect(detail?.latestEvents.map((e) => e.id)).toEqual(before.latest);
    const rollupsInWindow = u
      .prepare("SELECT total(r.count * t.weight_hundredths) FROM daily_rollups r JOIN event_types t ON t.id = r.type_id WHERE r.account_id = ? AND r.day BETWEEN ? AND ?")
      .pluck()
      .get(accountId, TODAY - 29, TODAY);
    expect(detail?.score?.scoreHundredths).toBe(rollupsInWindow);
    expect(detail?.explanation?.totalHundredths).toBe(rollupsInWindow);
    u.close();
  });
});
