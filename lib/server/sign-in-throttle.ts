import "server-only";
import type { Database } from "@/db";

/**
 * Failed sign-ins counted per email address. Per-IP limits (better-auth's rate limiter) stop
 * one client hammering the endpoint; this stops a password being guessed for one user from
 * many addresses. After MAX_FAILURES failures within WINDOW_MS the email is locked for
 * LOCK_MS; a successful sign-in clears the count.
 */
export const SIGN_IN_THROTTLE = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Milliseconds until the email may try again, or 0 when it is not locked. */
export function signInLockRemaining(db: Database, email: string, now = Date.now()): number {
  const row = db.sqlite.prepare("SELECT locked_until FROM sign_in_failures WHERE email = ?").get(normaliseEmail(email)) as
    | { locked_until: number }
    | undefined;
  return row && row.locked_until > now ? row.locked_until - now : 0;
}

export function recordSignInFailure(db: Database, email: string, now = Date.now()): void {
  const key = normaliseEmail(email);
  db.sqlite.transaction(() => {
    const row = db.sqlite.prepare("SELECT failures, window_start FROM sign_in_failures WHERE email = ?").get(key) as
      | { failures: number; window_start: number }
      | undefined;
    const fresh = !row || now - row.window_start >= SIGN_IN_THROTTLE.windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const windowStart = fresh ? now : row.window_start;
    const lockedUntil = failures >= SIGN_IN_THROTTLE.maxFailures ? now + SIGN_IN_THROTTLE.lockMs : 0;
    db.sqlite
      .prepare(
        `INSERT INTO sign_in_failures (email, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (email) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
      )
      .run(key, failures, windowStart, lockedUntil);
  })();
}

export function clearSignInFailures(db: Database, email: string): void {
  db.sqlite.prepare("DELETE FROM sign_in_failures WHERE email = ?").run(normaliseEmail(email));
}
