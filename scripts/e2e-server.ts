/**
 * Starts the production server for the end-to-end tests on a fresh demo database
 * (e2e/.tmp/e2e.db), so every run begins from the same known state.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db";
import { todayDay } from "@/lib/days";
import { seedDemoData } from "@/lib/server/seed";

export const E2E_DATABASE = path.resolve("e2e/.tmp/e2e.db");

fs.mkdirSync(path.dirname(E2E_DATABASE), { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(E2E_DATABASE + suffix, { force: true });

const db = openDatabase(E2E_DATABASE);
const summary = seedDemoData(db, { accounts: 400, seed: 7, today: todayDay() });
db.sqlite.close();
console.log(`e2e database: ${summary.accounts} accounts, ${summary.events} events`);

const port = process.env.E2E_PORT ?? "3210";
const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", port, "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_PATH: E2E_DATABASE },
});
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
