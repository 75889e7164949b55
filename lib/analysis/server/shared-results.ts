import "server-only";

/**
 * Results of expensive analyses, shared by everyone who asks for the same input
 * (docs/adr/0010-requests-that-cannot-stall-the-server.md):
 *
 * - single flight: while a result is being computed, every request for the same input waits
 *   for that one computation instead of starting its own;
 * - cached until the data it read changes. Two versions say what "changed" means:
 *   `hard` changes (the day the scores are for, the scoring configuration, the renewal
 *   outcomes) make a result wrong: nobody is served it again, the next request waits for a new
 *   one; `soft` changes (events arriving, which move today's counts and scores a little) make
 *   it slightly old: it is still served at once, and recomputed in the background at most once
 *   per `refreshAfterMs`, so a steady stream of events cannot keep the analyses busy.
 */
export interface ResultVersions {
  hard: string;
  soft: string;
}

export interface SharedResult<T> {
  value: T;
  /** False when the value was computed before the latest soft change (a newer one is on its way). */
  current: boolean;
  computedAt: number;
}

interface Entry<T> extends ResultVersions {
  value: T;
  computedAt: number;
  /** Which computation produced it, in the order they started. */
  seq: number;
}

interface Flight<T> extends ResultVersions {
  promise: Promise<Entry<T>>;
}

export interface SharedResultsOptions {
  /** How old a result may get, under soft changes, before one request refreshes it in the background. */
  refreshAfterMs: number;
  /** Inputs remembered; the least recently computed go first. */
  maxEntries: number;
  now?: () => number;
  /** Where a failed background refresh is reported (the stale result stays). */
  onRefreshError?: (key: string, error: unknown) => void;
}

export class SharedResults<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new Map<string, Flight<T>>();
  private readonly now: () => number;
  private started = 0;

  constructor(private readonly options: SharedResultsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** How many computations are running now (for tests and diagnostics). */
  get running(): number {
    return this.flights.size;
  }

  async get(key: string, versions: ResultVersions, compute: () => Promise<T>): Promise<SharedResult<T>> {
    const entry = this.entries.get(key);
    if (entry && entry.hard === versions.hard) {
      const current = entry.soft === versions.soft;
      if (!current && !this.flights.has(key) && this.now() - entry.computedAt >= this.options.refreshAfterMs) {
        this.start(key, versions, compute).catch((error: unknown) => this.options.onRefreshError?.(key, error));
      }
      return { value: entry.value, current, computedAt: entry.computedAt };
    }
    const flight = this.flights.get(key);
    const result = flight && flight.hard === versions.hard ? await flight.promise : await this.start(key, versions, compute);
    return { value: result.value, current: result.soft === versions.soft, computedAt: result.computedAt };
  }

  private start(key: string, versions: ResultVersions, compute: () => Promise<T>): Promise<Entry<T>> {
    const seq = ++this.started;
    // Started in a microtask, so the flight is registered before anything of it runs.
    const promise: Promise<Entry<T>> = Promise.resolve().then(async () => {
      try {
        const value = await compute();
        const entry: Entry<T> = { ...versions, value, computedAt: this.now(), seq };
        this.remember(key, entry);
        return entry;
      } finally {
        if (this.flights.get(key)?.promise === promise) this.flights.delete(key);
      }
    });
    this.flights.set(key, { ...versions, promise });
    return promise;
  }

  private remember(key: string, entry: Entry<T>): void {
    // A computation that started earlier and finished later does not replace a newer result.
    const existing = this.entries.get(key);
    if (existing && existing.seq > entry.seq) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
