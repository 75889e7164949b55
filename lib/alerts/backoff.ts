/**
 * When to try a failed delivery again: exponential back-off with jitter, so a receiver that is
 * down is not hammered and many messages do not retry in lock-step. 10 attempts span about
 * ten hours; after the last one the message is marked failed and an admin can redeliver it.
 */
export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 5_000;
const FACTOR = 3;
const LONGEST_WAIT_MS = 6 * 60 * 60 * 1000;
/** A receiver's Retry-After is honoured up to this long. */
const LONGEST_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * The wait after failed attempt number `attempt` (1-based): 5 s, 15 s, 45 s, 2¼ min, … capped at
 * 6 h, each ±20 % at random (`random` in [0, 1)). A Retry-After the receiver asked for
 * (in ms) is waited at least, up to an hour.
 */
export function retryDelayMs(attempt: number, random: number, retryAfterMs: number | null = null): number {
  const base = Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * FACTOR ** Math.max(0, attempt - 1));
  const jittered = Math.round(base * (0.8 + 0.4 * random));
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, LONGEST_RETRY_AFTER_MS));
}

/** Whether a message that has failed `attempts` times gets another try. */
export function shouldRetry(attempts: number): boolean {
  return attempts < MAX_ATTEMPTS;
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Per-endpoint circuit breaking: after this many failed deliveries in a row an endpoint is
 * paused, so a dead receiver stops using attempts (and worker time) while others go on.
 */
export const CIRCUIT_FAILURES = 5;
const FIRST_PAUSE_MS = 60_000;
const LONGEST_PAUSE_MS = 60 * 60 * 1000;

/** How long the endpoint pauses the `pauses`-th time in a row (1-based): 1 min, 2, 4, 8, … capped at an hour. */
export function circuitPauseMs(pauses: number): number {
  return Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** Math.max(0, pauses - 1));
}

/**
 * Whether a failure pauses the endpoint: the run of failures reached the limit, or the endpoint
 * was paused before and this was the probe after the pause (one failure is enough then).
 */
export function opensCircuit(consecutiveFailures: number, pausesBefore: number): boolean {
  return consecutiveFailures >= CIRCUIT_FAILURES || pausesBefore > 0;
}

/**
 * When a waiting delivery is next tried: its own retry time, but not before its endpoint's
 * pause ends (a paused endpoint's deliveries wait without using attempts). Null when it is
 * not waiting for a retry (not tried yet, delivered or failed for good).
 */
export function nextTryAt(delivery: { status: string; attempts: number; nextAttemptAt: number | null }, pausedUntil: number | null): number | null {
  if (delivery.status !== "pending" || delivery.attempts === 0 || delivery.nextAttemptAt === null) return null;
  return pausedUntil === null ? delivery.nextAttemptAt : Math.max(delivery.nextAttemptAt, pausedUntil);
}
