import { SqliteDb } from "@/db/sqlite-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MS_PER_DAY } from "@/lib/days";
import { Random } from "@/lib/demo/prng";
import type { MapResult } from "@/lib/ingest/segment";
import { ingestBatch } from "@/lib/server/ingest/writer";
import { recomputeAllScores, refreshAccountScores } from "@/lib/server/recompute";
import { scoresInSync, syncScores } from "@/lib/server/score-sync";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
/** Ingestion is on the data layer: the same connection through it. */
const data = new SqliteDb(db.sqlite, db.file);
afterAll(cleanup);

const TODAY = 20_500;
const random = new Random(11);

beforeAll(async () => {
  const type = db.sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (?, ?, ?, ?)");
  type.run("a", "A", 150, 1);
  type.run("b", "B", -1000, 1);
  type.run("c", "C", 425, 1);
  type.run("retired", "Retired", 9900, 0);
  db.sqlite.prepare("UPDATE scoring_settings SET window_days = 14, compare_days = 21 WHERE id = 1").run();
  // 30 accounts are scored before events arrive; the other 10 appear with their first event.
  const account = db.sqlite.prepare("INSERT INTO accounts (external_id, name) VALUES (?, ?)");
  for (let i = 1; i <= 30; i++) account.run(`acct-${i}`, `Account ${i}`);
  recomputeAllScores(db, { asOfDay: TODAY });
});

/** Random events over ~40 accounts (some new), days from well before the history to after the scores' day. */
function randomBatch(n: number, tag: string): MapResult[] {
  return Array.from({ length: n }, (_, i): MapResult => {
    const day = TODAY - random.int(-2, 420);
    const occurredAt = day * MS_PER_DAY + random.int(0, MS_PER_DAY - 1);
    return {
      ok: true,
      op: {
        kind: "event",
        messageId: `${tag}-${i}`,
        typeKey: random.pick(["a", "b", "c", "retired", "a", "c"]),
        typeLabel: "x",
        occurredAt,
        day,
        quantity: random.int(1, 3),
        groupId: `acct-${random.int(1, 40)}`,
        userId: null,
        anonymousId: null,
      },
    };
  });
}

function snapshot() {
  return {
    scores: db.sqlite.prepare("SELECT * FROM account_scores ORDER BY account_id").all(),
    history: db.sqlite.prepare("SELECT account_id, start_day, hex(scores) AS scores FROM score_history ORDER BY account_id").all(),
  };
}

describe("incremental score sync", () => {
  it("ends where a full recompute ends, batch after batch", async () => {
    for (let round = 0; round < 6; round++) {
      await ingestBatch(data, randomBatch(300, `r${round}`), { receivedAt: TODAY * MS_PER_DAY });
      const summary = syncScores(db);
      expect(summary?.mode).toBe("incremental");
      expect(scoresInSync(db)).toBe(true);
      const incremental = snapshot();
      recomputeAllScores(db, { asOfDay: TODAY });
      expect(incremental).toEqual(snapshot());
    }
    expect(db.sqlite.prepare("SELECT count(*) FROM account_scores").pluck().get()).toBe(40);
  });

  it("keeps live events (on the scores' day) in account_scores only: the stored history row is not rewritten", async () => {
    const history = () => db.sqlite.prepare("SELECT account_id, hex(scores) FROM score_history ORDER BY account_id").all();
    const before = history();
    const live = randomBatch(100, "live").map((item) =>
      item.ok && item.op.kind === "event" ? { ...item, op: { ...item.op, day: TODAY, occurredAt: TODAY * MS_PER_DAY + 3_600_000, groupId: "acct-3" } } : item,
    );
    await ingestBatch(data, live, { receivedAt: TODAY * MS_PER_DAY });
    const scoreBefore = db.sqlite.prepare("SELECT score_hundredths FROM account_scores WHERE account_id = 3").pluck().get() as number;
    expect(syncScores(db)?.mode).toBe("incremental");
    expect(history()).toEqual(before);
    expect(db.sqlite.prepare("SELECT score_hundredths FROM account_scores WHERE account_id = 3").pluck().get()).not.toBe(scoreBefore);
    const synced = snapshot();
    recomputeAllScores(db, { asOfDay: TODAY });
    expect(synced).toEqual(snapshot());
  });

  it("has nothing to do when nothing new arrived", async () => {
    expect(syncScores(db)).toBeNull();
  });

  it("never counts an event twice when refreshAccountScores runs before the sync", async () => {
    await ingestBatch(data, randomBatch(200, "refresh"), { receivedAt: TODAY * MS_PER_DAY });
    const someAccount = db.sqlite.prepare("SELECT id FROM accounts ORDER BY id LIMIT 1").pluck().get() as number;
    refreshAccountScores(db, [someAccount]);
    syncScores(db);
    const afterBoth = snapshot();
    recomputeAllScores(db, { asOfDay: TODAY });
    expect(afterBoth).toEqual(snapshot());
  });

  it("falls back to a full recompute when the configuration changed under the stored scores", async () => {
    await ingestBatch(data, randomBatch(50, "config"), { receivedAt: TODAY * MS_PER_DAY });
    db.sqlite.prepare("UPDATE event_types SET weight_hundredths = 700 WHERE key = 'a'").run();
    db.sqlite.prepare("UPDATE scoring_settings SET config_version = config_version + 1 WHERE id = 1").run();
    expect(syncScores(db)?.mode).toBe("full");
    const synced = snapshot();
    recomputeAllScores(db, { asOfDay: TODAY });
    expect(synced).toEqual(snapshot());
  });
});
