import type BetterSqlite3 from "better-sqlite3";

/**
 * The settings every connection needs. WAL lets readers go on while a writer commits;
 * synchronous = NORMAL makes a commit durable at the next checkpoint rather than at once (a
 * power cut can lose the last commits, never corrupt the file); the busy timeout makes a
 * second writer wait instead of failing at once. The WAL is copied back into the database
 * every 10,000 pages (40 MB) rather than SQLite's default 1,000: one group commit of
 * ingestion dirties more than 1,000 pages, so the default checkpointed (and synced to disk)
 * after every commit, rewriting pages that the next commits change again. The benchmark's bare
 * reference (bench/reference/) uses exactly these, so it compares like with like.
 */
export function applyConnectionPragmas(sqlite: BetterSqlite3.Database): void {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -65536");
  sqlite.pragma("temp_store = MEMORY");
  sqlite.pragma("wal_autocheckpoint = 10000");
}
