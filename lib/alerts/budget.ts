/**
 * A share of the event loop for background work (issue 17: alerts must not slow ingestion by
 * more than 10 %). After work that took d ms, the next piece may start only after
 * d × (1 / share − 1) ms: over time the work uses at most `share` of the wall clock however much
 * is waiting. A burst allowance lets up to `burstMs` of work run back to back after a quiet
 * spell — one alert (a few ms of evaluation, a claim and a record) never waits — while a
 * flood is worked off at the share.
 */
export class WorkBudget {
  private nextStart = 0;

  constructor(
    readonly share: number,
    /** Work that may run without resting after a quiet spell (0: rest after every piece). */
    readonly burstMs: number = 0,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(share > 0 && share <= 1)) throw new RangeError(`a work share must be in (0, 1], not ${share}`);
  }

  /** How long work that took `ms` must rest after it. */
  restAfter(ms: number): number {
    return ms * (1 / this.share - 1);
  }

  /**
   * Runs `work` when the budget allows, and books its time: the time it took, or what `cost`
   * reads from its result — the time the work itself used, when it can tell (time spent waiting
   * for a connection other work holds is not this work's use of the event loop).
   */
  async run<T>(work: () => Promise<T>, cost?: (result: T) => number): Promise<T> {
    const wait = this.nextStart - this.burstMs / this.share - this.now();
    if (wait > 0) await this.sleep(wait);
    const started = this.now();
    let used: number | null = null;
    try {
      const result = await work();
      if (cost) used = Math.max(0, cost(result));
      return result;
    } finally {
      const took = used ?? this.now() - started;
      // Work started inside the burst allowance adds its time to what is owed already.
      this.nextStart = Math.max(this.nextStart, started) + took / this.share;
    }
  }
}
