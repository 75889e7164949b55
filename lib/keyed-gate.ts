/**
 * At most `limit` things at once per key; the rest wait their turn in order, and past
 * `maxWaiting` waiting ones a newcomer is refused. The server uses it to give each signed-in
 * session a fair share (lib/http/server/edge.ts): one user with twenty connections gets as many
 * requests worked on at once as a browser opens (six), the others wait without costing
 * anything, so everybody else's requests never queue behind theirs.
 */
export type GateEntry = { admitted: true; leave: () => void } | { admitted: false; refused: true } | { admitted: false; refused: false; cancel: () => void };

export class KeyedGate {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {}

  /**
   * Runs `start` now, or when a place frees up. The entry's `leave` (given to `start` too)
   * must be called exactly once when the work is done; a waiting entry can be cancelled.
   */
  enter(key: string, start: (leave: () => void) => void): GateEntry {
    const active = this.active.get(key) ?? 0;
    if (active < this.limit) {
      this.active.set(key, active + 1);
      const leave = this.leaver(key);
      start(leave);
      return { admitted: true, leave };
    }
    const queue = this.waiting.get(key) ?? [];
    if (queue.length >= this.maxWaiting) return { admitted: false, refused: true };
    const run = () => start(this.leaver(key));
    queue.push(run);
    this.waiting.set(key, queue);
    return {
      admitted: false,
      refused: false,
      cancel: () => {
        const list = this.waiting.get(key);
        const index = list?.indexOf(run) ?? -1;
        if (list && index !== -1) {
          list.splice(index, 1);
          if (list.length === 0) this.waiting.delete(key);
        }
      },
    };
  }

  /** How many run and wait for a key (for tests and diagnostics). */
  count(key: string): { active: number; waiting: number } {
    return { active: this.active.get(key) ?? 0, waiting: this.waiting.get(key)?.length ?? 0 };
  }

  private leaver(key: string): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const queue = this.waiting.get(key);
      const next = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(key);
      if (next) {
        next(); // the place passes straight to the next in line
        return;
      }
      const active = (this.active.get(key) ?? 1) - 1;
      if (active <= 0) this.active.delete(key);
      else this.active.set(key, active);
    };
  }
}
