import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { DEFAULT_DEMO_PROFILE } from "@/lib/demo/catalog";
import { demoChangeMarkers, generateDemo } from "@/lib/demo/generate";
import type { DayNumber } from "@/lib/days";

/**
 * An installation of an old version, for the upgrade tests: the migrations as they were
 * (the first `count` of the journal), filled with the demo company through SQL that the old
 * schema accepts (the columns of the first migration).
 */
export function migrationsUpTo(folder: string, count: number): string {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-old-migrations-"));
  fs.mkdirSync(path.join(dir, "meta"));
  const entries = journal.entries.slice(0, count);
  fs.writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const e of entries) fs.copyFileSync(path.join(folder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

export const OLD_WEIGHTS = [300, 150, -200];

/** The demo company (first three event types, weights above) written as the first version stored it. */
export async function fillOldInstallation(db: Db, today: DayNumber): Promise<void> {
  const typeIds: number[] = [];
  for (const [i, t] of DEFAULT_DEMO_PROFILE.eventTypes.slice(0, 3).entries()) {
    const id = await db.value<number>(
      sql`INSERT INTO event_types (key, label, description, weight_hundredths) VALUES (${t.key}, ${t.label}, ${t.description}, ${OLD_WEIGHTS[i] ?? 0}) RETURNING id`,
    );
    typeIds.push(id ?? -1);
  }
  await db.run(sql`INSERT INTO config_versions (created_by, reason, snapshot) VALUES ('demo seed', 'Default demo weights', '{"weights":{}}')`);
  for (const m of demoChangeMarkers(today)) await db.run(sql`INSERT INTO change_markers (date, title, description) VALUES (${m.date}, ${m.title}, ${m.description})`);
  for (const { account, events } of generateDemo({ accounts: 12, seed: 11, today, historyDays: 60 })) {
    const accountId = await db.value<number>(sql`INSERT INTO accounts (external_id, name, plan, region, industry, account_manager, stage, signup_date, trial_end_date, renewal_date, arr)
      VALUES (${account.externalId}, ${account.name}, ${account.plan}, ${account.region}, ${account.industry}, ${account.accountManager}, ${account.stage},
              ${account.signupDate}, ${account.trialEndDate}, ${account.renewalDate}, ${account.arr}) RETURNING id`);
    const rollups = new Map<string, number>();
    for (const e of events) {
      const typeId = typeIds[e.typeIndex];
      if (typeId === undefined) continue;
      await db.run(sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
        VALUES (${accountId}, ${typeId}, ${e.occurredAt}, ${e.day}, 1, ${e.messageId}, ${e.occurredAt + 1500})`);
      const key = `${e.day}:${typeId}`;
      rollups.set(key, (rollups.get(key) ?? 0) + 1);
    }
    for (const [key, count] of rollups) {
      const [day, typeId] = key.split(":").map(Number);
      await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (${day}, ${accountId}, ${typeId}, ${count})`);
    }
  }
}

/** Every table's rows, each as a JSON text of its columns in name order, sorted: a whole-database fingerprint. */
export async function tableContents(db: Db, tables: readonly string[], columnsOf: (table: string) => Promise<string[]>): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {};
  for (const table of tables) {
    const columns = (await columnsOf(table)).sort();
    const rows = await db.all<Record<string, unknown>>(sql`SELECT ${sql.join(columns.map((c) => sql.identifier(c)), sql`, `)} FROM ${sql.identifier(table)}`);
    contents[table] = rows
      .map((row) => JSON.stringify(columns.map((c) => normalise(row[c]))))
      .sort();
  }
  return contents;
}

function normalise(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (typeof value === "bigint") return Number(value);
  return value;
}
