import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { PostgresDb } from "@/db/postgres-client";
import { SqliteDb } from "@/db/sqlite-client";
import { defaultRule } from "@/lib/alerts/rules";
import { createDestination, getDestination } from "@/lib/alerts/server/destinations";
import { saveRule } from "@/lib/alerts/server/rules";
import { createTestDb } from "@/test/db";
import { ADMIN, count, insertAccount, setScore, startReceiver, type Receiver } from "./helpers";

/**
 * Delivery survives a crash: a worker process (the same worker every app server runs) is killed
 * with SIGKILL while alerts are pending and deliveries in flight; a new one started afterwards
 * delivers every alert. A receiver may see a delivery again (at least once), but always under
 * the alert's one id, correctly signed.
 */
const ACCOUNTS = 24;
let db: Db;
let cleanup: () => Promise<void>;
let receiver: Receiver;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ALERTS_ALLOW_HTTP: "true", ALERTS_ALLOW_PRIVATE_NETWORKS: "true", ALERTS_TIMEOUT_MS: "2000", ALERTS_LEASE_MS: "3000", NODE_ENV: "production" };
  if (db instanceof PostgresDb) env.DATABASE_URL = db.url;
  else if (db instanceof SqliteDb) env.DATABASE_PATH = db.file;
  delete env.CES_TEST_DATABASE;
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/alerts-worker.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  child.on("exit", (code, signal) => {
    if (code !== 0 && code !== null && signal === null) console.error(`worker exited with ${code}:\n${output}`);
  });
  workers.push(child);
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  receiver = await startReceiver();
  // A slow receiver: every delivery takes 250 ms, so the kill finds some of them in flight.
  receiver.respond("/hooks", (_req, res) => {
    setTimeout(() => res.writeHead(204).end(), 250);
  });
});
afterAll(async () => {
  for (const w of workers) await killed(w);
  await receiver.close();
  await cleanup();
});

describe("killing the worker while alerts are pending", () => {
  it("delivers every alert after a restart, none twice under a different id", { timeout: 120_000 }, async () => {
    const endpoint = (await createDestination(db, { actor: ADMIN, kind: "webhook", name: "CRM", url: `${receiver.url}/hooks`, events: [] })).id;
    await saveRule(db, { actor: ADMIN, rule: { ...defaultRule("band_drop"), enabled: true, createTask: false, destinationIds: [endpoint] } });
    for (let i = 0; i < ACCOUNTS; i++) {
      const id = await insertAccount(db, { externalId: `rel-${i}`, manager: "Alice Moreau" });
      await setScore(db, id, { points: 60 });
      await setScore(db, id, { points: 30 });
    }

    const first = startWorker();
    // Some deliveries arrive; then the process dies mid-flight, without a chance to clean up.
    await receiver.waitFor("/hooks", 3);
    await killed(first);
    const pendingAfterKill = await count(db, sql`SELECT count(*) FROM outbox WHERE status = 'pending'`);
    const waitingTransitions = await count(db, sql`SELECT count(*) FROM score_transitions`);
    expect(pendingAfterKill + waitingTransitions).toBeGreaterThan(0);

    startWorker();
    await expect
      .poll(async () => count(db, sql`SELECT count(*) FROM outbox WHERE status = 'delivered'`), { timeout: 90_000, interval: 500 })
      .toBe(ACCOUNTS);

    const alerts = await db.all<{ uid: string; externalId: string }>(sql`SELECT al.uid, a.external_id AS "externalId" FROM alerts al JOIN accounts a ON a.id = al.account_id`);
    expect(alerts).toHaveLength(ACCOUNTS);
    const secret = (await getDestination(db, { id: endpoint }))?.secret ?? "";
    const idsByAccount = new Map<string, Set<string>>();
    for (const request of receiver.requests.filter((r) => r.path === "/hooks")) {
      const event = new Webhook(secret).verify(request.body, {
        "webhook-id": String(request.headers["webhook-id"]),
        "webhook-timestamp": String(request.headers["webhook-timestamp"]),
        "webhook-signature": String(request.headers["webhook-signature"]),
      }) as { data: { alertId: string; account: { id: string } } };
      expect(event.data.alertId).toBe(request.headers["webhook-id"]);
      const ids = idsByAccount.get(event.data.account.id) ?? new Set<string>();
      ids.add(event.data.alertId);
      idsByAccount.set(event.data.account.id, ids);
    }
    // Every alert reached the receiver, each account's alert always under the same id.
    expect([...idsByAccount.keys()].sort()).toEqual(alerts.map((a) => a.externalId).sort());
    for (const alert of alerts) expect([...(idsByAccount.get(alert.externalId) ?? [])]).toEqual([alert.uid]);
  });
});
