import "server-only";
import type { Database } from "@/db";
import type { Db } from "@/db/client";

/**
 * When an ingestion request last began, per database. On globalThis: Next bundles the routes
 * (which ingest) and instrumentation (whose freshness loop asks) separately, and each bundle
 * would otherwise see its own copy. A SQLite database is known by its connection, so the
 * data-layer handle and the legacy one of the same file agree.
 */
const slot = globalThis as unknown as { cesIngestionActivity?: WeakMap<object, number> };

/** What ingestion's per-database state is kept by: a SQLite connection, or the PostgreSQL handle. */
export function ingestionKey(db: Db | Database): object {
  const sqlite: unknown = "sqlite" in db ? db.sqlite : undefined;
  return typeof sqlite === "object" && sqlite !== null ? sqlite : db;
}

export function noteIngestion(db: Db | Database, now = Date.now()): void {
  (slot.cesIngestionActivity ??= new WeakMap()).set(ingestionKey(db), now);
}

/** Milliseconds since an ingestion request last began in this process (Infinity: none yet). */
export function msSinceIngestion(db: Db | Database, now = Date.now()): number {
  const at = slot.cesIngestionActivity?.get(ingestionKey(db));
  return at === undefined ? Number.POSITIVE_INFINITY : now - at;
}
