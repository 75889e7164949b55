/**
 * What a database error means, decided by its code in one place (docs/adr/0015): PostgreSQL
 * reports a SQLSTATE (`pg`'s `error.code`), better-sqlite3 an extended result name
 * (`SQLITE_BUSY_SNAPSHOT`, …). Callers decide what to do about it (run again, answer 503).
 */

function codeOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** serialization_failure and deadlock_detected: the transaction lost to another and succeeds if run again from the start, unchanged. */
const TRANSACTION_CONFLICTS: ReadonlySet<string> = new Set(["40001", "40P01"]);

/** Besides a conflict, PostgreSQL's "try later": lock_not_available, too_many_connections. */
const POSTGRES_BUSY: ReadonlySet<string> = new Set(["55P03", "53300"]);

/** A PostgreSQL transaction that failed on a serialization failure (40001) or a deadlock (40P01): run it again. */
export function isTransactionConflict(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && TRANSACTION_CONFLICTS.has(code);
}

/** A unique key another transaction stored first (PostgreSQL unique_violation, 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === "23505";
}

/** A row a foreign key points to is not there (PostgreSQL foreign_key_violation, 23503), e.g. erased by another server meanwhile. */
export function isMissingReference(error: unknown): boolean {
  return codeOf(error) === "23503";
}

/**
 * The database is busy and the same work is worth trying again later: another connection holds
 * SQLite's lock (SQLITE_BUSY…, SQLITE_LOCKED…), or PostgreSQL reports a conflict (left after
 * the writer's own retries), a lock not available or too many connections.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = codeOf(error);
  if (code === undefined) return false;
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED") || TRANSACTION_CONFLICTS.has(code) || POSTGRES_BUSY.has(code);
}
