/**
 * npm run restore -- --from FILE   restores a backup (npm run backup) into the EMPTY
 * installation the environment names (DATABASE_URL, else DATABASE_PATH), refusing one that
 * holds data, and migrates it to this version's schema. Start the server afterwards.
 * See db/backup.ts and the README's "Backups".
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { restoreDatabase } from "@/db/backup";
import { databaseConfigFromEnv } from "@/db/env";

const argsSchema = z.object({ from: z.string({ error: "Usage: npm run restore -- --from FILE" }).min(1, "--from must name the backup file") });
const { values } = parseArgs({ options: { from: { type: "string" } } });
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
const { from } = parsed.data;

async function main(): Promise<void> {
  const config = databaseConfigFromEnv();
  const summary = await restoreDatabase(config, from);
  console.log(`Restored ${from} into ${config.kind === "sqlite" ? config.file : "the PostgreSQL database"} in ${(summary.millis / 1000).toFixed(1)} s:`);
  for (const t of summary.tables) console.log(`  ${t.table.padEnd(16)} ${t.rows.toLocaleString("en-US").padStart(14)} rows`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`Not restored: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
