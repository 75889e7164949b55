/**
 * A first-come, first-served lock on the one SQLite connection (db/sqlite-client.ts): held
 * by a transaction (or a synchronous fast path) for as long as its work runs; queries outside
 * it wait until it is free.
 */
export class ConnectionLock {
  private queue: Array<() => void> = [];
  private locked = false;

  get held(): boolean {
    return this.locked;
  }

  /** Resolves with a release function once this caller holds the lock. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.locked = true;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.handOver();
        });
      };
      if (!this.locked) grant();
      else this.queue.push(grant);
    });
  }

  /** Resolves when nobody holds the lock (the caller does not take it). */
  waitUntilFree(): Promise<void> {
    if (!this.locked) return Promise.resolve();
    return new Promise((resolve) => {
      this.queue.push(() => {
        // A reader does not hold the lock: let the next in line have it at once.
        resolve();
        this.handOver();
      });
    });
  }

  private handOver(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.locked = false;
  }
}
