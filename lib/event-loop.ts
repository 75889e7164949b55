/**
 * Lets the requests waiting behind a long piece of work run before it goes on: a
 * synchronous better-sqlite3 read or a long computation otherwise holds the event loop (and
 * with it every ingestion request) until it ends (docs/adr/0010-requests-that-cannot-stall-the-server.md).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
