import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { defaultRule } from "@/lib/alerts/rules";
import { createDestination } from "@/lib/alerts/server/destinations";
import { saveRule } from "@/lib/alerts/server/rules";
import { startAlertWorker, type AlertWorker } from "@/lib/alerts/server/worker";
import { createTestDb } from "@/test/db";
import { ADMIN, insertAccount, setScore, startReceiver, type Receiver } from "./helpers";

/**
 * The worker acts on a score change at once, not at its next poll: a score writer's record of
 * a transition wakes the evaluator, and the evaluator's new messages wake the delivery. The
 * worker here polls once a minute (and the daily jobs never run), so only those wake-ups can
 * deliver within the test's time.
 */
let db: Db;
let cleanup: () => Promise<void>;
let receiver: Receiver;
let worker: AlertWorker | null = null;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  receiver = await startReceiver();
  const { id } = await createDestination(db, { actor: ADMIN, kind: "webhook", name: "CRM", url: `${receiver.url}/hooks`, events: [] });
  await saveRule(db, { actor: ADMIN, rule: { ...defaultRule("band_drop"), enabled: true, destinationIds: [id] } });
});
afterAll(async () => {
  await worker?.stop();
  await receiver.close();
  await cleanup();
});

describe("the alert worker", () => {
  it("delivers a band drop as soon as the score write records it, without waiting for a poll", async () => {
    const account = await insertAccount(db, { externalId: "wake-1", manager: "Alice Moreau" });
    await setScore(db, account, { points: 55 });
    worker = startAlertWorker(db, {
      evaluateEveryMs: 60_000,
      dispatchEveryMs: 60_000,
      dailyEveryMs: 3_600_000,
      dispatcher: { policy: { allowInsecure: true, allowPrivateNetworks: true } },
    });
    // The first poll runs at start and finds nothing; the next one is a minute away.
    const arrived = receiver.waitFor("/hooks", 1);
    await setScore(db, account, { points: 30 });
    const [request] = await arrived;
    const body = JSON.parse(request?.body ?? "{}") as { type?: string; data?: { account?: { id?: string } } };
    expect(body).toMatchObject({ type: "alert.fired", data: { account: { id: "wake-1" } } });
    expect(await db.value(sql`SELECT count(*) FROM score_transitions`)).toBe(0);
  });
});
