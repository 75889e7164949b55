/**
 * npm run bench:transfer -- --from ./data/ces.db
 * How long `npm run db:migrate-to-postgres` takes on a copy of this SQLite file: starts a
 * temporary PostgreSQL with production durability (scripts/lib/temporary-postgres.ts), migrates
 * an empty database, moves and verifies the installation, and prints each step's wall time,
 * rows per second and the CPU this process used. Never part of npm test.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { openDatabase } from "@/db";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { migratePostgres } from "@/db/postgres-migrate";
import { transferSqliteToPostgres } from "@/db/transfer";
import { startTemporaryPostgres } from "@/scripts/lib/temporary-postgres";

const { values } = parseArgs({ options: { from: { type: "string" } } });
const parsed = z.object({ from: z.string({ error: "--from must name a SQLite file" }).min(1) }).safeParse(values);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}

async function main(from: string): Promise<void> {
  const server = await startTemporaryPostgres({ durable: true });
  const source = openDatabase(from);
  try {
    const url = new URL(server.url);
    url.pathname = "/ces_transfer_bench";
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("CREATE DATABASE ces_transfer_bench");
    await admin.end();
    const target = new PostgresDb(createPool(url.toString(), { max: 1 }), url.toString());
    await migratePostgres(target);
    await target.close();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const cpu = process.cpuUsage();
      let stepStarted = performance.now();
      let step = "copying";
      const result = await transferSqliteToPostgres(source.sqlite, client, undefined, (next) => {
        console.log(`${step.padEnd(36)} ${((performance.now() - stepStarted) / 1000).toFixed(1).padStart(7)} s`);
        step = next;
        stepStarted = performance.now();
      });
      console.log(`${step.padEnd(36)} ${((performance.now() - stepStarted) / 1000).toFixed(1).padStart(7)} s`);
      const rows = result.tables.reduce((n, t) => n + t.rows, 0);
      const used = process.cpuUsage(cpu);
      console.log(
        `\n${rows.toLocaleString("en")} rows in ${(result.millis / 1000).toFixed(1)} s (${Math.round(rows / (result.millis / 1000)).toLocaleString("en")} rows/s); this process used ${((used.user + used.system) / 1e6).toFixed(1)} s of CPU`,
      );
    } finally {
      await client.end();
    }
  } finally {
    source.sqlite.close();
    server.stop();
  }
}

main(parsed.data.from).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
