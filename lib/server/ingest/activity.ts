import "server-only";
import type { Database } from "@/db";

/**
 * When an ingestion request last began, per database. On globalThis: Next bundles the routes
 * (which ingest) and instrumentation (whose freshness loop asks) separately, and each bundle
 * would otherwise see its own copy.
 */
const slot = globalThis as unknown as { cesIngestionActivity?: WeakMap<Database, number> };

export function noteIngestion(db: Database, now = Date.now()): void {
  (slot.cesIngestionActivity ??= new WeakMap()).set(db, now);
}

/** Milliseconds since an ingestion request last began in this process (Infinity: none yet). */
export function msSinceIngestion(db: Database, now = Date.now()): number {
  const at = slot.cesIngestionActivity?.get(db);
  return at === undefined ? Number.POSITIVE_INFINITY : now - at;
}
