import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { newE2eDatabase, type E2eDatabase } from "./db";
import { newInstallation, sendBatch, startServer, trackBatch, type Installation } from "./server-process";

/**
 * Operating the product (issue 21) against real production servers of their own: a SIGTERM
 * while senders keep sending loses no acknowledged event and stores none twice; a backup
 * taken while the server ingests restores with every event acknowledged before it started.
 * Each installation is a database of its own on the database the suite runs on: a SQLite
 * file, or a PostgreSQL database (backed up with pg_dump).
 */
test.describe.configure({ mode: "serial", timeout: 180_000 });

const SENDERS = 4;
const BATCH = 50;

interface Sent {
  batch: unknown[];
  ids: string[];
  acked: boolean;
}

/** Senders that send new batches back to back until told to stop or the server is gone. */
function startSenders(url: string, installation: Installation, label: string) {
  const sent: Sent[] = [];
  let stop = false;
  const loops = Array.from({ length: SENDERS }, async (_, sender) => {
    for (let n = 0; !stop; n++) {
      const { batch, ids } = trackBatch(`${label}-${sender}-${n}`, BATCH, `acct-${sender}`);
      const item: Sent = { batch, ids, acked: false };
      sent.push(item);
      item.acked = await sendBatch(url, installation.writeKey, batch);
      if (!item.acked && !stop) {
        // Refused (shutting down) or the connection is gone: this sender is done.
        const alive = await fetch(`${url}/api/health/live`).then(() => true, () => false);
        if (!alive) return;
      }
    }
  });
  return {
    sent,
    acked: () => sent.filter((s) => s.acked).flatMap((s) => s.ids),
    stop: async () => {
      stop = true;
      await Promise.all(loops);
    },
    done: () => Promise.all(loops),
  };
}

/** This process's environment without the suite's own database (DATABASE_URL of a PostgreSQL run). */
function suiteEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _suiteDatabase, DATABASE_PATH: _suiteFile, ...inherited } = process.env;
  return inherited;
}

async function storedIds(database: E2eDatabase): Promise<{ ids: string[]; distinct: number }> {
  const db = database.open();
  try {
    const ids = (await db.all<{ messageId: string }>(sql`SELECT message_id AS "messageId" FROM events`)).map((r) => r.messageId);
    return { ids, distinct: new Set(ids).size };
  } finally {
    await db.close();
  }
}

test("SIGTERM while senders send: every acknowledged event is stored once, pending score work is flushed, and the server exits in time", async () => {
  const installation = await newInstallation();
  const server = await startServer(installation, { SHUTDOWN_TIMEOUT_MS: "15000" });
  const senders = startSenders(server.url, installation, "run1");
  while (senders.acked().length < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));

  const signalledAt = Date.now();
  server.child.kill("SIGTERM");
  const exit = await server.exited;
  const exitMillis = Date.now() - signalledAt;
  await senders.done();
  // Every failure below shows the server's log: what the shutdown did, in order.
  const log = server.output.join("");
  expect(exitMillis, log).toBeLessThan(15_000);
  expect(exit.code === 143 || exit.code === 0 || exit.signal === "SIGTERM", `exit ${JSON.stringify(exit)}\n${log}`).toBe(true);
  expect(log).toContain("shutdown: pending score work flushed");
  expect(log).toContain("shutdown: ingestion drained");

  const acked = senders.acked();
  const afterStop = await storedIds(installation.database);
  expect(afterStop.distinct).toBe(afterStop.ids.length);
  const stored = new Set(afterStop.ids);
  expect(acked.filter((id) => !stored.has(id))).toEqual([]);
  // The pending score work was flushed before exit: the scores reflect every stored event.
  const db = installation.database.open();
  const sync = await db.get<{ mark: number; latest: number }>(sql`SELECT (SELECT last_event_id FROM score_sync WHERE id = 1) AS mark, (SELECT max(id) FROM events) AS latest`);
  await db.close();
  expect(sync).toBeDefined();
  expect(sync?.mark).toBe(sync?.latest);

  // Restart; the senders retry what was not acknowledged, and one acknowledged batch again (a lost answer).
  const restarted = await startServer(installation);
  try {
    const retries = [...senders.sent.filter((s) => !s.acked), ...senders.sent.filter((s) => s.acked).slice(0, 1)];
    for (const s of retries) expect(await sendBatch(restarted.url, installation.writeKey, s.batch)).toBe(true);
    const final = await storedIds(installation.database);
    const everySent = senders.sent.flatMap((s) => s.ids);
    expect(final.ids.length).toBe(final.distinct);
    expect(final.distinct).toBe(new Set(everySent).size);
  } finally {
    restarted.child.kill("SIGTERM");
    await restarted.exited;
    await installation.remove();
  }
});

test("npm run backup while the server ingests, then npm run restore: every event acknowledged before the backup started is there", async () => {
  const installation = await newInstallation();
  const server = await startServer(installation);
  const backupFile = path.join(installation.dir, "backup");
  const restored = await newE2eDatabase("restored");
  try {
    const senders = startSenders(server.url, installation, "bk");
    while (senders.acked().length < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
    const ackedBeforeBackup = senders.acked();
    const ackedCountBefore = ackedBeforeBackup.length;
    // Asynchronously, so the senders in this process keep sending while it runs.
    const backup = await promisify(execFile)("npx", ["tsx", "--conditions=react-server", "scripts/backup.ts", "--to", backupFile], {
      env: { ...suiteEnv(), ...installation.database.env },
      encoding: "utf8",
    });
    expect(backup.stdout).toContain("it reads back whole");
    // The senders kept going during the backup.
    expect(senders.acked().length).toBeGreaterThan(ackedCountBefore);
    await senders.stop();

    const restore = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/restore.ts", "--from", backupFile], {
      env: { ...suiteEnv(), ...restored.env },
      encoding: "utf8",
    });
    expect(restore.status, restore.stderr).toBe(0);
    const restoredIds = await storedIds(restored);
    expect(restoredIds.ids.length).toBe(restoredIds.distinct);
    const have = new Set(restoredIds.ids);
    expect(ackedBeforeBackup.filter((id) => !have.has(id))).toEqual([]);

    // A restore never overwrites an installation that holds data.
    const again = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/restore.ts", "--from", backupFile], {
      env: { ...suiteEnv(), ...installation.database.env },
      encoding: "utf8",
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("the installation is not empty");
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    await installation.remove();
    await restored.remove();
  }
});
