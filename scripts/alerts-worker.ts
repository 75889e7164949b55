/**
 * npm run alerts:worker — the alert worker on its own (the app server runs the same one):
 * evaluates score transitions, delivers the outbox and runs the daily jobs against the database
 * of DATABASE_URL / DATABASE_PATH until stopped (SIGTERM or SIGINT finish the deliveries in flight).
 * Useful for a delivery-only process next to app servers started with ALERTS_WORKER=off, and
 * used by the reliability test, which kills it mid-delivery.
 *
 * Environment: ALERTS_ALLOW_HTTP=true (plain http receivers), ALERTS_ALLOW_PRIVATE_NETWORKS=true (receivers on loopback or private addresses), ALERTS_TIMEOUT_MS (per request,
 * default 10000), ALERTS_LEASE_MS (how long a claimed message stays claimed).
 */
import { z } from "zod";
import { openDb } from "@/db";
import { databaseConfigFromEnv } from "@/db/env";
import { startAlertWorker } from "@/lib/alerts/server/worker";
import { log } from "@/lib/log";

const env = z
  .object({
    ALERTS_TIMEOUT_MS: z.coerce.number().int().min(100, "ALERTS_TIMEOUT_MS must be at least 100").max(120_000).optional(),
    ALERTS_LEASE_MS: z.coerce.number().int().min(500, "ALERTS_LEASE_MS must be at least 500").max(3_600_000).optional(),
  })
  .safeParse(process.env);
if (!env.success) {
  console.error(env.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}

async function main(): Promise<void> {
  const db = await openDb(databaseConfigFromEnv());
  const worker = startAlertWorker(db, {
    dispatcher: { timeoutMs: env.data?.ALERTS_TIMEOUT_MS, leaseMs: env.data?.ALERTS_LEASE_MS },
    log: (line) => log.info(line, { component: "alerts" }),
  });
  log.info("alert worker running", { component: "alerts", owner: worker.owner });
  const stop = async () => {
    await worker.stop();
    await db.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  log.error("the alert worker stopped", { component: "alerts", err: error });
  process.exit(1);
});
