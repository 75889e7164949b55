import "server-only";
import type { Database } from "@/db";

/**
 * Failed sign-ins counted per email address. Per-IP limits (better-auth's rate limiter) stop
 * one client hammering the endpoint; this stops a password being guessed for one user from
 * many addresses. After MAX_FAILURES failures within WINDOW_MS the email is locked for
 * LOCK_MS; a successful sign-in clears the count.
 *
 * Checking and counting are ONE step: every attempt is counted as a failure before its
 * password is checked (in one immediate transaction, so parallel attempts, even from other
 * processes, queue on SQLite's write lock), and the count is corrected afterwards: cleared by
 * a success, given back when the attempt ended without a password verdict. So 8 parallel wrong
 * guesses get at most 5 password checks, never 8.
 */
export const SIGN_IN_THROTTLE = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

interface FailureRow {
  failures: number;
  window_start: number;
  locked_until: number;
}

export type SignInReservation = { allowed: true } | { allowed: false; remainingMs: number };

function write(db: Database, key: string, failures: number, windowStart: number, lockedUntil: number): void {
  db.sqlite
    .prepare(
      `INSERT INTO sign_in_failures (email, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (email) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
    )
    .run(key, failures, windowStart, lockedUntil);
}

/**
 * Checks the lock and counts this attempt as a failure, atomically. The attempt that reaches
 * the limit still gets its password checked (and locks the email unless it succeeds).
 */
export function reserveSignInAttempt(db: Database, email: string, now = Date.now()): SignInReservation {
  const key = normaliseEmail(email);
  const reserve = db.sqlite.transaction((): SignInReservation => {
    const row = db.sqlite.prepare("SELECT failures, window_start, locked_until FROM sign_in_failures WHERE email = ?").get(key) as FailureRow | undefined;
    if (row && row.locked_until > now) return { allowed: false, remainingMs: row.locked_until - now };
    const fresh = !row || now - row.window_start >= SIGN_IN_THROTTLE.windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const windowStart = fresh ? now : row.window_start;
    write(db, key, failures, windowStart, failures >= SIGN_IN_THROTTLE.maxFailures ? now + SIGN_IN_THROTTLE.lockMs : 0);
    return { allowed: true };
  });
  return reserve.immediate();
}

/** Gives back a reserved attempt that ended without a verdict on the password (a refused or invalid request). */
export function releaseSignInAttempt(db: Database, email: string): void {
  const key = normaliseEmail(email);
  db.sqlite
    .transaction(() => {
      const row = db.sqlite.prepare("SELECT failures, window_start FROM sign_in_failures WHERE email = ?").get(key) as FailureRow | undefined;
      if (!row) return;
      const failures = Math.max(0, row.failures - 1);
      if (failures === 0) db.sqlite.prepare("DELETE FROM sign_in_failures WHERE email = ?").run(key);
      else if (failures < SIGN_IN_THROTTLE.maxFailures) write(db, key, failures, row.window_start, 0);
      else db.sqlite.prepare("UPDATE sign_in_failures SET failures = ? WHERE email = ?").run(failures, key);
    })
    .immediate();
}

export function clearSignInFailures(db: Database, email: string): void {
  db.sqlite.prepare("DELETE FROM sign_in_failures WHERE email = ?").run(normaliseEmail(email));
}
