/**
 * npm run test:e2e:postgres [-- playwright arguments]
 *
 * The end-to-end suite again, with the product on PostgreSQL (issue 15): a temporary
 * PostgreSQL server (or the one CES_TEST_POSTGRES_URL names) with an empty database for the
 * suite's server, which scripts/e2e-server.ts seeds as it seeds the SQLite file. The specs read
 * that database through E2E_DATABASE_URL (e2e/db.ts); servers a spec starts for itself get a
 * database of their own through E2E_POSTGRES_ADMIN_URL (e2e/fresh-server.ts).
 * Runs on the production build `npm run test:e2e` made.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { databaseUrl, runOnServer, startTemporaryPostgres, type TemporaryPostgres } from "./lib/temporary-postgres";

const DATABASE = "ces_e2e";

async function main(): Promise<number> {
  let server: TemporaryPostgres | null = null;
  const adminUrl = process.env.CES_TEST_POSTGRES_URL ?? (server = await startTemporaryPostgres()).url;
  try {
    await runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await runOnServer(adminUrl, `CREATE DATABASE ${DATABASE}`);
    const url = databaseUrl(adminUrl, DATABASE);
    console.log(`--- end-to-end suite on PostgreSQL (${new URL(adminUrl).host})`);
    const playwright = spawn(path.resolve("node_modules/.bin/playwright"), ["test", ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: url, E2E_DATABASE_URL: url, E2E_POSTGRES_ADMIN_URL: adminUrl },
    });
    return await new Promise<number>((resolve) => playwright.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
