import "server-only";

/**
 * Tells this process's alert worker that a score writer recorded transitions, so it evaluates
 * them at once instead of at its next poll (docs/adr/0016-alerts-outbox-and-read-api.md §7).
 * Listeners run on the next turn of the event loop: a synchronous SQLite write transaction has
 * committed by then, and an asynchronous one holds the connection until it has, so the
 * evaluator never looks before the rows are visible. Other processes (an import, a separate
 * worker) are not told: their poll finds the rows.
 *
 * The listeners live on globalThis: Next.js may load this module more than once per process.
 */
type Listener = () => void;

const slot = globalThis as unknown as { cesScoreTransitionListeners?: Set<Listener>; cesScoreTransitionPending?: boolean };

function listeners(): Set<Listener> {
  slot.cesScoreTransitionListeners ??= new Set();
  return slot.cesScoreTransitionListeners;
}

/** Calls `listener` after each write that recorded transitions; returns the unsubscribe. */
export function onScoreTransitions(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

/** Announces recorded transitions (many announcements in one turn make one call). */
export function announceScoreTransitions(): void {
  if (slot.cesScoreTransitionPending || listeners().size === 0) return;
  slot.cesScoreTransitionPending = true;
  setImmediate(() => {
    slot.cesScoreTransitionPending = false;
    for (const listener of listeners()) listener();
  });
}
