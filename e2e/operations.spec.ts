import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { e2eDatabaseUrl } from "./db";
import { newInstallation, sendBatch, startServer, trackBatch, type Installation } from "./server-process";

/**
 * Operating the product (issue 21) against real production servers of their own: a SIGTERM
 * while senders keep sending loses no acknowledged event and stores none twice; a backup
 * taken while the server ingests restores with every event acknowledged before it started.
 */
test.describe.configure({ mode: "serial", timeout: 180_000 });
test.skip(
  e2eDatabaseUrl() !== null,
  "operates a SQLite installation of its own (its file, npm run backup and restore of the file): the SQLite run covers it; the PostgreSQL backup is tested in db/backup.test.ts",
);

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

function storedIds(dbFile: string): { ids: string[]; distinct: number } {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    const ids = db.prepare("SELECT message_id FROM events").pluck().all() as string[];
    return { ids, distinct: new Set(ids).size };
  } finally {
    db.close();
  }
}

test("SIGTERM while senders send: every acknowledged event is stored once, pending score work is flushed, and the server exits in time", async () => {
  const installation = newInstallation();
  const server = await startServer(installation.dbFile, { SHUTDOWN_TIMEOUT_MS: "15000" });
  const senders = startSenders(server.url, installation, "run1");
  while (senders.acked().length < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));

  const signalledAt = Date.now();
  server.child.kill("SIGTERM");
  const exit = await server.exited;
  const exitMillis = Date.now() - signalledAt;
  await senders.done();
  expect(exitMillis).toBeLessThan(15_000);
  expect(exit.code === 143 || exit.code === 0 || exit.signal === "SIGTERM", `exit ${JSON.stringify(exit)}\n${server.output.join("")}`).toBe(true);
  const log = server.output.join("");
  expect(log).toContain("shutdown: pending score work flushed");
  expect(log).toContain("shutdown: ingestion drained");

  const acked = senders.acked();
  const afterStop = storedIds(installation.dbFile);
  expect(afterStop.distinct).toBe(afterStop.ids.length);
  const stored = new Set(afterStop.ids);
  expect(acked.filter((id) => !stored.has(id))).toEqual([]);
  // The pending score work was flushed before exit: the scores reflect every stored event.
  const db = new BetterSqlite3(installation.dbFile, { readonly: true });
  const sync = db.prepare("SELECT (SELECT last_event_id FROM score_sync WHERE id = 1) AS mark, (SELECT max(id) FROM events) AS latest").get() as { mark: number; latest: number };
  db.close();
  expect(sync.mark).toBe(sync.latest);

  // Restart; the senders retry what was not acknowledged, and one acknowledged batch again (a lost answer).
  const restarted = await startServer(installation.dbFile);
  try {
    const retries = [...senders.sent.filter((s) => !s.acked), ...senders.sent.filter((s) => s.acked).slice(0, 1)];
    for (const s of retries) expect(await sendBatch(restarted.url, installation.writeKey, s.batch)).toBe(true);
    const final = storedIds(installation.dbFile);
    const everySent = senders.sent.flatMap((s) => s.ids);
    expect(final.ids.length).toBe(final.distinct);
    expect(final.distinct).toBe(new Set(everySent).size);
  } finally {
    restarted.child.kill("SIGTERM");
    await restarted.exited;
    fs.rmSync(installation.dir, { recursive: true, force: true });
  }
});

test("npm run backup while the server ingests, then npm run restore: every event acknowledged before the backup started is there", async () => {
  const installation = newInstallation();
  const server = await startServer(installation.dbFile);
  const backupFile = path.join(installation.dir, "backup.db");
  const restoredFile = path.join(installation.dir, "restored", "ces.db");
  try {
    const senders = startSenders(server.url, installation, "bk");
    while (senders.acked().length < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
    const ackedBeforeBackup = senders.acked();
    const ackedCountBefore = ackedBeforeBackup.length;
    // Asynchronously, so the senders in this process keep sending while it runs.
    const backup = await promisify(execFile)("npx", ["tsx", "--conditions=react-server", "scripts/backup.ts", "--to", backupFile], {
      env: { ...process.env, DATABASE_PATH: installation.dbFile },
      encoding: "utf8",
    });
    expect(backup.stdout).toContain("it reads back whole");
    // The senders kept going during the backup.
    expect(senders.acked().length).toBeGreaterThan(ackedCountBefore);
    await senders.stop();

    const restore = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/restore.ts", "--from", backupFile], {
      env: { ...process.env, DATABASE_PATH: restoredFile },
      encoding: "utf8",
    });
    expect(restore.status, restore.stderr).toBe(0);
    const restored = storedIds(restoredFile);
    expect(restored.ids.length).toBe(restored.distinct);
    const have = new Set(restored.ids);
    expect(ackedBeforeBackup.filter((id) => !have.has(id))).toEqual([]);

    // A restore never overwrites an installation that holds data.
    const again = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/restore.ts", "--from", backupFile], {
      env: { ...process.env, DATABASE_PATH: installation.dbFile },
      encoding: "utf8",
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("the installation is not empty");
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    fs.rmSync(installation.dir, { recursive: true, force: true });
  }
});
