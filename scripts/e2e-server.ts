/**
 * Starts the production server for the end-to-end tests on a fresh demo database
 * (e2e/.tmp/e2e.db) with the demo users, so every run begins from the same known state.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDb } from "@/db";
import { byteOrder } from "@/db/dialect";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { databaseConfigFromEnv } from "@/db/env";
import { todayDay } from "@/lib/days";
import { seedDemoUsers } from "@/lib/demo/server/demo-users";
import { seedDemoData } from "@/lib/demo/server/seed";
import { HOSTILE_ACCOUNT_NAMES } from "../e2e/hostile-names";
import { demoAuthEnv } from "./demo-auth-env";
import { nextStartArgs } from "./lib/next-start";

export const E2E_DATABASE = path.resolve("e2e/.tmp/e2e.db");

async function main() {
  // DATABASE_URL names an EMPTY PostgreSQL database to run the suite on; otherwise a fresh SQLite file.
  const config = databaseConfigFromEnv();
  if (config.kind === "sqlite") {
    fs.mkdirSync(path.dirname(E2E_DATABASE), { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(E2E_DATABASE + suffix, { force: true });
  }
  const db = await openDb(config.kind === "sqlite" ? { ...config, file: E2E_DATABASE } : config);
  // 500 accounts: with the playbook's renewal rates a third of the demo's customers have churned, and the
  // 40–80 list must still fill more than one page of renewals due (e2e/call-lists.spec.ts).
  const summary = await seedDemoData(db, { accounts: 500, seed: 7, today: todayDay() });
  await seedDemoUsers(db);
  // Hostile names on the accounts the overview shows (biggest riser and drop), for e2e/injection.spec.ts.
  // As the overview picks its movers (lib/overview/server/overview.ts): accounts with a previous score that are still trials or customers.
  const mover = async (order: "DESC" | "ASC") =>
    db.value<Column<typeof schema.accountScores, "accountId">>(
      sql`SELECT s.account_id FROM account_scores s JOIN accounts a ON a.id = s.account_id
        WHERE s.previous_activity IS NOT NULL AND a.stage <> 'churned' AND s.score_hundredths ${sql.raw(order === "DESC" ? ">" : "<")} s.previous_hundredths
        ORDER BY s.score_hundredths - s.previous_hundredths ${sql.raw(order)}, ${byteOrder(db.dialect, sql`a.name`)} LIMIT 1`,
    );
  const riser = await mover("DESC");
  const faller = await mover("ASC");
  await db.run(sql`UPDATE accounts SET name = ${HOSTILE_ACCOUNT_NAMES.riser} WHERE id = ${riser ?? -1}`);
  await db.run(sql`UPDATE accounts SET name = ${HOSTILE_ACCOUNT_NAMES.faller} WHERE id = ${faller ?? -1}`);
  await db.close();
  console.log(`e2e database: ${summary.accounts} accounts, ${summary.events} events`);

  const port = process.env.E2E_PORT ?? "3210";
  const { AUTH_URL: _statedOrigin, ...inherited } = process.env;
  const server = spawn(path.resolve("node_modules/.bin/next"), nextStartArgs(port, "127.0.0.1"), {
    stdio: "inherit",
    // Origins as `npm run demo` trusts them (no AUTH_URL): the tests reach the server at
    // http://127.0.0.1 and http://localhost, as a demo user may (e2e/origins.spec.ts).
    env: demoAuthEnv({
      ...inherited,
      ...(config.kind === "sqlite" ? { DATABASE_PATH: E2E_DATABASE } : {}),
      // A fresh secret per run.
      AUTH_SECRET: randomBytes(32).toString("base64"),
      // Every test browser signs in from 127.0.0.1: one IP for the whole suite.
      AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
      // The alert tests' webhook, Slack and SMTP receivers run on this machine over plain http/SMTP.
      ALERTS_ALLOW_HTTP: "true",
      ALERTS_ALLOW_PRIVATE_NETWORKS: "true",
    }),
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // Playwright writes to this process's stdin pipe: it closes when Playwright is gone, even
  // killed without a chance to stop its web server. The server must not outlive the run.
  if (!process.stdin.isTTY) {
    process.stdin.on("end", stop);
    process.stdin.resume();
  }
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
