/**
 * npm run test:e2e:postgres [-- playwright arguments]
 *
 * The end-to-end suite again, with the product on PostgreSQL (issue 15): a temporary
 * PostgreSQL server (or the one CES_TEST_POSTGRES_URL names) with an empty database for the
 * suite's server, which scripts/e2e-server.ts seeds as it seeds the SQLite file. The specs read
 * that database through E2E_DATABASE_URL (e2e/db.ts); servers a spec starts for itself get a
 * database of their own through E2E_POSTGRES_ADMIN_URL (e2e/fresh-server.ts).
 * Runs on the production build `npm test` made (`npm run test:e2e` builds).
 *
 * The run always ends and always stops its PostgreSQL: when the tests fail, and when it is
 * interrupted (SIGINT, SIGTERM, SIGHUP: Playwright is asked to stop, then killed if it has
 * not within a bound). Playwright runs in a process group of its own, so whatever a spec
 * started and left running (a server of its own) is killed with it and cannot keep the run,
 * or a connection to the database, alive.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { databaseUrl, runOnServer, startTemporaryPostgres, type TemporaryPostgres } from "./lib/temporary-postgres";

const DATABASE = "ces_e2e";
/** How long an interrupted Playwright may take to stop its servers and report before it is killed. */
const STOP_BOUND_MS = 30_000;

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type StopSignal = (typeof SIGNALS)[number];
const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

let postgres: TemporaryPostgres | null = null;
let playwright: ChildProcess | null = null;

function stopPostgres(): void {
  const server = postgres;
  postgres = null;
  if (!server) return;
  try {
    server.stop();
  } catch (error) {
    console.error(`Could not stop the temporary PostgreSQL in ${server.dir}:`, error);
  }
}

/** Signals Playwright's whole process group (it and everything it started); false when it is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group.
  }
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? 1);
    else child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const adminUrl = process.env.CES_TEST_POSTGRES_URL ?? (postgres = await startTemporaryPostgres()).url;
  await runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await runOnServer(adminUrl, `CREATE DATABASE ${DATABASE}`);
  const url = databaseUrl(adminUrl, DATABASE);
  console.log(`--- end-to-end suite on PostgreSQL (${new URL(adminUrl).host})`);
  const started = Date.now();
  const child = spawn(path.resolve("node_modules/.bin/playwright"), ["test", ...process.argv.slice(2)], {
    stdio: "inherit",
    detached: true,
    env: { ...process.env, DATABASE_URL: url, E2E_DATABASE_URL: url, E2E_POSTGRES_ADMIN_URL: adminUrl },
  });
  playwright = child;
  const code = await exited(child);
  // Anything a spec started and left behind goes with the run.
  signalGroup(child, "SIGKILL");
  console.log(`--- end-to-end suite on PostgreSQL: ${code === 0 ? "passed" : "failed"} in ${Math.round((Date.now() - started) / 1000)} s`);
  return code;
}

let interrupted = false;
for (const signal of SIGNALS) {
  process.on(signal, () => {
    const child = playwright;
    if (interrupted || !child) {
      // A second signal, or one before Playwright started: stop at once.
      if (child) signalGroup(child, "SIGKILL");
      stopPostgres();
      process.exit(128 + SIGNAL_NUMBERS[signal]);
    }
    interrupted = true;
    console.error(`--- ${signal}: stopping the end-to-end suite and its PostgreSQL`);
    // Playwright in its own group does not get the terminal's Ctrl-C: pass it on. SIGINT is
    // the signal Playwright stops on gracefully (its servers stopped, the report written).
    if (child.pid !== undefined) {
      try {
        process.kill(child.pid, "SIGINT");
      } catch {
        // Already gone.
      }
    }
    const bound = setTimeout(() => signalGroup(child, "SIGKILL"), STOP_BOUND_MS);
    void exited(child).then(() => {
      clearTimeout(bound);
      signalGroup(child, "SIGKILL");
      stopPostgres();
      process.exit(128 + SIGNAL_NUMBERS[signal]);
    });
  });
}

main().then(
  (code) => {
    stopPostgres();
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    if (playwright) signalGroup(playwright, "SIGKILL");
    stopPostgres();
    process.exit(1);
  },
);
