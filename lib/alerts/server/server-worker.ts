import "server-only";
import { getDb } from "@/db";
import { log } from "@/lib/log";
import { startAlertWorker, type AlertWorker } from "./worker";

/**
 * The alert worker of this app server process (started from instrumentation.ts), and a way
 * for route handlers to have it deliver at once (a test message, a redelivery). ALERTS_WORKER=off
 * leaves it off (for a server that should only serve pages while another one delivers).
 */
const slot = globalThis as unknown as { cesAlertWorker?: Promise<AlertWorker> };

export function startAlertWorkerInServer(): void {
  if (process.env.ALERTS_WORKER === "off") {
    log.info("alert worker off (ALERTS_WORKER=off): this server delivers no alerts", { component: "alerts" });
    return;
  }
  slot.cesAlertWorker ??= getDb().then((db) => startAlertWorker(db, { log: (line) => log.info(line, { component: "alerts" }) }));
  slot.cesAlertWorker.catch((error: unknown) => log.error("the alert worker could not start", { component: "alerts", err: error }));
}

export function wakeAlertWorker(): void {
  void slot.cesAlertWorker?.then((worker) => worker.wake());
}
