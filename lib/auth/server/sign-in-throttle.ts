import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";

/**
 * Failed sign-ins counted per email address. Per-IP limits (better-auth's rate limiter) stop
 * one client hammering the endpoint; this stops a password being guessed for one user from
 * many addresses. After MAX_FAILURES failures within WINDOW_MS the email is locked for
 * LOCK_MS; a successful sign-in clears the count.
 *
 * Checking and counting are ONE step: every attempt is counted as a failure before its
 * password is checked, in one `INSERT … ON CONFLICT DO UPDATE … WHERE not locked` statement
 * (atomic on both databases: SQLite runs it under its write lock, PostgreSQL under the row's
 * lock, so parallel attempts from any number of servers queue), and the count is corrected
 * afterwards: cleared by a success, given back when the attempt ended without a password
 * verdict. So 8 parallel wrong guesses get at most 5 password checks, never 8.
 */
export const SIGN_IN_THROTTLE = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type SignInReservation = { allowed: true } | { allowed: false; remainingMs: number };

/**
 * Checks the lock and counts this attempt as a failure, atomically. The attempt that reaches
 * the limit still gets its password checked (and locks the email unless it succeeds).
 */
export async function reserveSignInAttempt(db: Db, email: string, now = Date.now()): Promise<SignInReservation> {
  const key = normaliseEmail(email);
  const { maxFailures, windowMs, lockMs } = SIGN_IN_THROTTLE;
  // The window restarts when the previous one is over; the count that reaches the limit locks.
  const fresh = sql`${now} - f.window_start >= ${windowMs}`;
  const failures = sql`CASE WHEN ${fresh} THEN 1 ELSE f.failures + 1 END`;
  const counted = await db.get<Columns<typeof schema.signInFailures, "failures">>(sql`INSERT INTO sign_in_failures AS f (email, failures, window_start, locked_until)
      VALUES (${key}, 1, ${now}, ${maxFailures <= 1 ? now + lockMs : 0})
      ON CONFLICT (email) DO UPDATE SET
        failures = ${failures},
        window_start = CASE WHEN ${fresh} THEN CAST(${now} AS BIGINT) ELSE f.window_start END,
        locked_until = CASE WHEN ${failures} >= ${maxFailures} THEN CAST(${now + lockMs} AS BIGINT) ELSE 0 END
      WHERE f.locked_until <= ${now}
      RETURNING failures`);
  if (counted) return { allowed: true };
  // Locked. (Should the lock have been cleared since, the refusal says 0 minutes; the next attempt goes through.)
  const lockedUntil = (await db.value<Column<typeof schema.signInFailures, "lockedUntil">>(sql`SELECT locked_until FROM sign_in_failures WHERE email = ${key}`)) ?? now;
  return { allowed: false, remainingMs: Math.max(0, lockedUntil - now) };
}

/** Gives back a reserved attempt that ended without a verdict on the password (a refused or invalid request). */
export async function releaseSignInAttempt(db: Db, email: string): Promise<void> {
  const key = normaliseEmail(email);
  // One statement reads and writes the row, so a concurrent attempt's count is never lost; a
  // count given back to 0 is deleted (a concurrent attempt would have raised it, and stays).
  await db.run(sql`UPDATE sign_in_failures
    SET failures = failures - 1,
        locked_until = CASE WHEN failures - 1 < ${SIGN_IN_THROTTLE.maxFailures} THEN 0 ELSE locked_until END
    WHERE email = ${key} AND failures > 0`);
  await db.run(sql`DELETE FROM sign_in_failures WHERE email = ${key} AND failures <= 0`);
}

export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.run(sql`DELETE FROM sign_in_failures WHERE email = ${normaliseEmail(email)}`);
}
