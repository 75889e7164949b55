/**
 * npm run db:migrate-to-postgres -- --from ./data/ces.db --to postgres://user:pass@host/db
 * Copies a SQLite installation into an EMPTY PostgreSQL database and verifies the copy (row
 * counts and a checksum per table). Stop the app servers first; then start them with
 * DATABASE_URL pointing at the new database. See db/transfer.ts.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { openDatabase } from "@/db";
import { databasePathFromEnv } from "@/db/env";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { migratePostgres } from "@/db/postgres-migrate";
import { transferSqliteToPostgres } from "@/db/transfer";

const argsSchema = z.object({
  from: z.string().min(1, "--from must name the SQLite file").default(databasePathFromEnv()),
  to: z
    .string({ error: "--to must be a PostgreSQL URL (postgres://user:password@host:5432/database), or set DATABASE_URL" })
    .regex(/^postgres(ql)?:\/\//, "--to must be a PostgreSQL URL (postgres://user:password@host:5432/database)"),
});

const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" } } });
const parsed = argsSchema.safeParse({ from: values.from, to: values.to ?? process.env.DATABASE_URL });
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
const { from, to } = parsed.data;

async function main(): Promise<void> {
  const source = openDatabase(from);
  const target = new PostgresDb(createPool(to, { max: 1 }), to);
  try {
    await migratePostgres(target);
    const client = new pg.Client({ connectionString: to });
    await client.connect();
    try {
      let lastTable = "";
      let stepStarted = performance.now();
      let step = "";
      /** Ends the current step's line with how long it took. */
      const took = () => {
        const seconds = ((performance.now() - stepStarted) / 1000).toFixed(1);
        stepStarted = performance.now();
        return step === "" ? `\nAll rows copied in ${seconds} s.` : ` ${seconds} s`;
      };
      const result = await transferSqliteToPostgres(
        source.sqlite,
        client,
        ({ table, copied, total }) => {
          if (table !== lastTable && lastTable !== "") process.stdout.write("\n");
          lastTable = table;
          process.stdout.write(`\r${table}: ${copied.toLocaleString("en")} of ${total.toLocaleString("en")} rows`);
        },
        (next) => {
          process.stdout.write(`${took()}\n${next[0]?.toUpperCase()}${next.slice(1)} …`);
          step = next;
        },
      );
      process.stdout.write(took());
      process.stdout.write("\n\nVerified (rows, SHA-256 of every row in key order):\n");
      for (const t of result.tables) console.log(`  ${t.table.padEnd(24)} ${String(t.rows).padStart(12)}  ${t.sourceChecksum.slice(0, 16)}  ok`);
      console.log(`\nCopied ${result.tables.reduce((n, t) => n + t.rows, 0).toLocaleString("en")} rows in ${(result.millis / 1000).toFixed(1)} s.`);
      console.log("Start the app with DATABASE_URL set to the new database.");
    } finally {
      await client.end();
    }
  } finally {
    await target.close();
    source.sqlite.close();
  }
}

main().catch((error: unknown) => {
  console.error(`\nNot copied: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
