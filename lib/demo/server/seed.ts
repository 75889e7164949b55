import "server-only";
import { sql } from "drizzle-orm";
import { legacyDatabaseOn, type Database } from "@/db";
import type { Db, Tx } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { jsonRows } from "@/db/dialect";
import { onSqlite } from "@/db/sqlite-client";
import { dayFromIsoDate, type DayNumber } from "@/lib/days";
import { DEFAULT_DEMO_PROFILE, type DemoProfile } from "../catalog";
import { demoChangeMarkers, generateDemo, type DemoAccountWithEvents } from "../generate";
import { toHundredths } from "@/lib/scoring/points";
import { HISTORY_DAYS, recomputeAllScores } from "@/lib/scoring/server/recompute";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { configInForce, loadConfigInForce } from "@/lib/scoring/server/scoring-config";
import { getScoringSettings, loadScoringSettings } from "@/lib/scoring/server/settings";
import { expectRow } from "@/db/sqlite-client";

export interface SeedDemoParams {
  accounts: number;
  seed: number;
  today: DayNumber;
  /** Accounts written per transaction. */
  batchSize?: number;
  /** The demo company's product (default: the demo's; the benchmark uses a wider one). */
  profile?: DemoProfile;
  /** Days of events before today (default: the score history plus one scoring window). */
  historyDays?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  accounts: number;
  events: number;
  rollups: number;
  outcomes: number;
  millis: number;
}

type AccountId = Column<typeof schema.accounts, "id">;
type EventTypeId = Column<typeof schema.eventTypes, "id">;
type ConfigVersionId = Column<typeof schema.configVersions, "id">;

const EMPTY_QUERY = sql`SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM accounts) AND NOT EXISTS (SELECT 1 FROM event_types) THEN 1 ELSE 0 END`;

/** Whether the database holds no accounts and no event types (either database). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.value<number>(EMPTY_QUERY)) === 1;
}

/** isDatabaseEmpty on the legacy synchronous SQLite connection. */
export function isDatabaseEmptySqlite(db: Database): boolean {
  return db.sqlite.prepare("SELECT NOT EXISTS (SELECT 1 FROM accounts) AND NOT EXISTS (SELECT 1 FROM event_types) AS empty").pluck().get() === 1;
}

/**
 * seedDemoData's synchronous SQLite path: prepared statements, one transaction per batch of
 * accounts (the fastest way to fill a SQLite file; `npm run demo` waits for it).
 */
export function seedDemoDataSqlite(db: Database, params: SeedDemoParams): SeedSummary {
  const started = performance.now();
  if (!isDatabaseEmptySqlite(db)) throw new Error("The database already holds data; demo data is only seeded into an empty database.");
  const { sqlite } = db;
  const batchSize = params.batchSize ?? 250;
  const profile = params.profile ?? DEFAULT_DEMO_PROFILE;

  const insertType = sqlite.prepare<unknown[], EventTypeId>(
    "INSERT INTO event_types (key, label, description, weight_hundredths, active, is_new) VALUES (?, ?, ?, ?, 1, 0) RETURNING id",
  );
  const typeIds: number[] = [];
  sqlite.transaction(() => {
    for (const t of profile.eventTypes) {
      const weight = toHundredths(t.weight);
      typeIds.push(expectRow(insertType.pluck().get(t.key, t.label, t.description, weight), `demo event type ${t.key}`));
    }
    const { version: _inForce, ...config } = configInForce(db);
    const version = expectRow(
      sqlite
        .prepare<unknown[], ConfigVersionId>("INSERT INTO config_versions (created_by, reason, snapshot) VALUES (?, ?, ?) RETURNING id")
        .pluck()
        .get("demo seed", "Default demo weights", JSON.stringify(config)),
      "the demo configuration version",
    );
    sqlite.prepare("UPDATE scoring_settings SET config_version = ? WHERE id = 1").run(version);
    const insertMarker = sqlite.prepare("INSERT INTO change_markers (date, title, description) VALUES (?, ?, ?)");
    for (const m of demoChangeMarkers(params.today)) insertMarker.run(m.date, m.title, m.description);
  })();

  const insertAccount = sqlite.prepare<unknown[], AccountId>(
    `INSERT INTO accounts (external_id, name, plan, region, industry, account_manager, stage, signup_date, trial_end_date, renewal_date, arr)
     VALUES (@externalId, @name, @plan, @region, @industry, @accountManager, @stage, @signupDate, @trialEndDate, @renewalDate, @arr)
     RETURNING id`,
  );
  const insertEvent = sqlite.prepare(
    "INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
  );
  const insertRollup = sqlite.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?)");
  const insertOutcome = sqlite.prepare(
    `INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, arr_before, arr_after, source, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'demo', ?, ?)`,
  );

  let events = 0;
  let rollups = 0;
  let outcomes = 0;
  let done = 0;
  let batch: DemoAccountWithEvents[] = [];

  const writeBatch = sqlite.transaction((items: DemoAccountWithEvents[]) => {
    for (const { account, events: accountEvents, outcomes: accountOutcomes } of items) {
      const accountId = expectRow(insertAccount.pluck().get({
        externalId: account.externalId,
        name: account.name,
        plan: account.plan,
        region: account.region,
        industry: account.industry,
        accountManager: account.accountManager,
        stage: account.stage,
        signupDate: account.signupDate,
        trialEndDate: account.trialEndDate,
        renewalDate: account.renewalDate,
        arr: account.arr,
      }), `demo account ${account.externalId}`);
      const perDayType = new Map<number, number>();
      for (const e of accountEvents) {
        const typeId = typeIds[e.typeIndex];
        if (typeId === undefined) throw new Error(`Unknown demo event type index ${e.typeIndex}`);
        // Received a few seconds after it happened, as a real pipeline would.
        insertEvent.run(accountId, typeId, e.occurredAt, e.day, e.messageId, e.occurredAt + 1500);
        const key = e.day * 1024 + e.typeIndex;
        perDayType.set(key, (perDayType.get(key) ?? 0) + 1);
      }
      for (const [key, count] of perDayType) {
        const typeId = typeIds[key % 1024];
        if (typeId === undefined) throw new Error("Unknown demo event type in rollup");
        insertRollup.run(Math.floor(key / 1024), accountId, typeId, count);
      }
      for (const o of accountOutcomes) {
        // Recorded a few days after the renewal date, as a CRM sync would.
        const recordedAt = (dayFromIsoDate(o.renewalDate) + 3) * 86_400_000;
        insertOutcome.run(accountId, o.renewalDate, o.outcome, o.arrBefore, o.arrAfter, recordedAt, recordedAt);
      }
      events += accountEvents.length;
      rollups += perDayType.size;
      outcomes += accountOutcomes.length;
    }
  });

  // Events start one scoring window before the score history does, so that the first days of
  // the history are full-window scores like every other day (not a ramp from an empty window).
  const historyDays = params.historyDays ?? HISTORY_DAYS + getScoringSettings(db).windowDays;
  for (const item of generateDemo({ accounts: params.accounts, seed: params.seed, today: params.today, historyDays, profile })) {
    batch.push(item);
    if (batch.length >= batchSize) {
      writeBatch(batch);
      done += batch.length;
      batch = [];
      params.onProgress?.(done, params.accounts);
    }
  }
  if (batch.length > 0) {
    writeBatch(batch);
    done += batch.length;
    params.onProgress?.(done, params.accounts);
  }

  recomputeAllScores(db, { asOfDay: params.today });
  return { accounts: done, events, rollups, outcomes, millis: Math.round(performance.now() - started) };
}

/**
 * Fills an EMPTY database with the demo company, on either database. Refuses to touch a
 * database that already holds accounts or event types: demo data must never mix with real
 * data. SQLite runs seedDemoDataSqlite; PostgreSQL writes each batch of accounts in one
 * transaction with one statement per table for its events, rollups and outcomes.
 */
export async function seedDemoData(db: Db, params: SeedDemoParams): Promise<SeedSummary> {
  const onLite = onSqlite(db, (sqlite) => seedDemoDataSqlite(legacyDatabaseOn(sqlite), params));
  if (onLite) return onLite;
  const started = performance.now();
  if (!(await isDatabaseEmpty(db))) throw new Error("The database already holds data; demo data is only seeded into an empty database.");
  const batchSize = params.batchSize ?? 250;
  const profile = params.profile ?? DEFAULT_DEMO_PROFILE;

  const typeIds = await db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const t of profile.eventTypes) {
      const id = await tx.value<EventTypeId>(
        sql`INSERT INTO event_types (key, label, description, weight_hundredths, active, is_new) VALUES (${t.key}, ${t.label}, ${t.description}, ${toHundredths(t.weight)}, 1, 0) RETURNING id`,
      );
      if (id === undefined) throw new Error(`no id for event type ${t.key}`);
      ids.push(id);
    }
    const { version: _inForce, ...config } = await loadConfigInForce(tx);
    const version = await tx.value<ConfigVersionId>(
      sql`INSERT INTO config_versions (created_by, reason, snapshot) VALUES ('demo seed', 'Default demo weights', ${JSON.stringify(config)}) RETURNING id`,
    );
    await tx.run(sql`UPDATE scoring_settings SET config_version = ${version ?? 1} WHERE id = 1`);
    for (const m of demoChangeMarkers(params.today)) await tx.run(sql`INSERT INTO change_markers (date, title, description) VALUES (${m.date}, ${m.title}, ${m.description})`);
    return ids;
  });

  const totals = { events: 0, rollups: 0, outcomes: 0, done: 0 };
  const historyDays = params.historyDays ?? HISTORY_DAYS + (await loadScoringSettings(db)).windowDays;
  let batch: DemoAccountWithEvents[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    await db.transaction((tx) => writeDemoBatch(tx, items, typeIds, totals));
    totals.done += items.length;
    params.onProgress?.(totals.done, params.accounts);
  };
  for (const item of generateDemo({ accounts: params.accounts, seed: params.seed, today: params.today, historyDays, profile })) {
    batch.push(item);
    if (batch.length >= batchSize) await flush();
  }
  await flush();

  await recomputeScores(db, { asOfDay: params.today });
  return { accounts: totals.done, events: totals.events, rollups: totals.rollups, outcomes: totals.outcomes, millis: Math.round(performance.now() - started) };
}

const EVENT_COLUMNS = [
  { name: "account_id", type: "integer" },
  { name: "type_id", type: "integer" },
  { name: "occurred_at", type: "bigint" },
  { name: "day", type: "integer" },
  { name: "message_id", type: "text" },
  { name: "received_at", type: "bigint" },
] as const;

const ROLLUP_COLUMNS = [
  { name: "day", type: "integer" },
  { name: "account_id", type: "integer" },
  { name: "type_id", type: "integer" },
  { name: "count", type: "integer" },
] as const;

const OUTCOME_COLUMNS = [
  { name: "account_id", type: "integer" },
  { name: "renewal_date", type: "text" },
  { name: "outcome", type: "text" },
  // Floats: read as text, cast below (jsonRows types whole numbers and text).
  { name: "arr_before", type: "text" },
  { name: "arr_after", type: "text" },
  { name: "at", type: "bigint" },
] as const;

/** One batch of demo accounts with their events, rollups and outcomes, in the caller's transaction. */
async function writeDemoBatch(tx: Tx, items: readonly DemoAccountWithEvents[], typeIds: readonly number[], totals: { events: number; rollups: number; outcomes: number }): Promise<void> {
  const events: (string | number)[][] = [];
  const rollups: number[][] = [];
  const outcomes: (string | number | null)[][] = [];
  for (const { account, events: accountEvents, outcomes: accountOutcomes } of items) {
    const accountId = await tx.value<AccountId>(
      sql`INSERT INTO accounts (external_id, name, plan, region, industry, account_manager, stage, signup_date, trial_end_date, renewal_date, arr)
        VALUES (${account.externalId}, ${account.name}, ${account.plan}, ${account.region}, ${account.industry}, ${account.accountManager}, ${account.stage},
          ${account.signupDate}, ${account.trialEndDate}, ${account.renewalDate}, ${account.arr}) RETURNING id`,
    );
    if (accountId === undefined) throw new Error(`no id for account ${account.externalId}`);
    const perDayType = new Map<number, number>();
    for (const e of accountEvents) {
      const typeId = typeIds[e.typeIndex];
      if (typeId === undefined) throw new Error(`Unknown demo event type index ${e.typeIndex}`);
      // Received a few seconds after it happened, as a real pipeline would.
      events.push([accountId, typeId, e.occurredAt, e.day, e.messageId, e.occurredAt + 1500]);
      const key = e.day * 1024 + e.typeIndex;
      perDayType.set(key, (perDayType.get(key) ?? 0) + 1);
    }
    for (const [key, count] of perDayType) {
      const typeId = typeIds[key % 1024];
      if (typeId === undefined) throw new Error("Unknown demo event type in rollup");
      rollups.push([Math.floor(key / 1024), accountId, typeId, count]);
    }
    for (const o of accountOutcomes) {
      // Recorded a few days after the renewal date, as a CRM sync would.
      outcomes.push([accountId, o.renewalDate, o.outcome, o.arrBefore, o.arrAfter, (dayFromIsoDate(o.renewalDate) + 3) * 86_400_000]);
    }
    totals.events += accountEvents.length;
    totals.rollups += perDayType.size;
    totals.outcomes += accountOutcomes.length;
  }
  if (events.length > 0) {
    await tx.run(
      sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
        SELECT account_id, type_id, occurred_at, day, 1, message_id, received_at FROM (${jsonRows(tx.dialect, EVENT_COLUMNS, events)}) AS e`,
    );
  }
  if (rollups.length > 0) {
    await tx.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) SELECT day, account_id, type_id, count FROM (${jsonRows(tx.dialect, ROLLUP_COLUMNS, rollups)}) AS r`);
  }
  if (outcomes.length > 0) {
    await tx.run(
      sql`INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, arr_before, arr_after, source, created_at, updated_at)
        SELECT account_id, renewal_date, outcome, CAST(arr_before AS DOUBLE PRECISION), CAST(arr_after AS DOUBLE PRECISION), 'demo', at, at FROM (${jsonRows(tx.dialect, OUTCOME_COLUMNS, outcomes)}) AS o`,
    );
  }
}
