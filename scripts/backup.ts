/**
 * npm run backup -- --to FILE      a consistent online backup of the installation the
 *                                  environment names (DATABASE_URL, else DATABASE_PATH),
 *                                  taken while the server keeps running and ingesting
 * npm run backup -- --check FILE   reads a backup without restoring it: whole? what is in it?
 * See db/backup.ts and the README's "Backups".
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { backupDatabase, checkBackup } from "@/db/backup";
import { databaseConfigFromEnv } from "@/db/env";

const argsSchema = z
  .object({ to: z.string().min(1, "--to must name the backup file").optional(), check: z.string().min(1, "--check must name a backup file").optional() })
  .refine((a) => (a.to === undefined) !== (a.check === undefined), { message: "Usage: npm run backup -- --to FILE (or --check FILE)" });

const { values } = parseArgs({ options: { to: { type: "string" }, check: { type: "string" } } });
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
const args = parsed.data;

async function main(): Promise<number> {
  const { to, check } = args;
  if (check) {
    const result = await checkBackup(check);
    console.log(`${check}: ${result.format === "sqlite" ? "SQLite backup" : "PostgreSQL backup (pg_dump)"}, ${result.ok ? "whole" : "DAMAGED"}`);
    for (const p of result.problems) console.log(`  problem: ${p}`);
    if (result.migrations !== null) console.log(`  schema: ${result.migrations} migrations applied`);
    for (const t of result.tables) console.log(`  ${t.table.padEnd(16)} ${t.rows.toLocaleString("en-US").padStart(14)} rows`);
    return result.ok ? 0 : 1;
  }
  if (!to) return 2;
  const config = databaseConfigFromEnv();
  const summary = await backupDatabase(config, to);
  const checked = await checkBackup(to);
  if (!checked.ok) {
    console.error(`The backup at ${to} does not read back whole: ${checked.problems.join("; ")}`);
    return 1;
  }
  console.log(`Backed up ${config.kind === "sqlite" ? config.file : "the PostgreSQL database"} to ${to} (${(summary.bytes / 1024 / 1024).toFixed(1)} MB in ${(summary.millis / 1000).toFixed(1)} s); it reads back whole.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
