import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { migratePostgres } from "@/db/postgres-migrate";
import { transferSqliteToPostgres } from "@/db/transfer";
import { createWriteKey } from "@/lib/ingestion/server/write-keys";
import { postgresProbe, type EventProbe } from "../parts/ingest";
import { databaseUrl, startTemporaryPostgres, type TemporaryPostgres } from "../../scripts/lib/temporary-postgres";
import { BENCH_DATA_DIR } from "./dataset";
import { fmt, log } from "./output";

/**
 * PostgreSQL for `npm run bench -- --db postgres` (issue 15): a server on this machine whose
 * cluster lives under bench/data/postgres (git-ignored) between runs, durable (fsync and
 * synchronous commit on, as in production) and sized as one would size a dedicated database
 * server's memory for this data (settings() below). Each SQLite dataset is copied once with
 * the product's own move (db/transfer.ts: COPY, verified by checksums, the code behind
 * `npm run db:migrate-to-postgres`) into a template database that later runs reuse while the
 * dataset is unchanged; every scenario then gets its own database cloned from that template,
 * as the SQLite scenarios get their own copy of the file.
 */
export interface BenchPostgres {
  /** A fresh database holding the same rows as `datasetFile`, for one scenario; its URL. */
  databaseFor(datasetFile: string, scenario: string): Promise<string>;
  /** Drops a scenario's database. */
  drop(url: string): Promise<void>;
  /** Seconds each dataset took to copy from SQLite (when it was copied: later runs reuse the copy). */
  copySeconds(): Record<string, number>;
  /** Bytes a database takes on disk, whole and per table (heap, indexes and TOAST). */
  sizeOf(url: string): Promise<{ total: number; tables: Record<string, number> }>;
  /** A connection to a scenario's database, for what the benchmark reads besides HTTP (the newest event id, the score watermark). */
  client(url: string): Promise<pg.Client>;
  /** The server settings the run used (for the report). */
  settings: Record<string, string>;
  stop(): void;
}

/**
 * Memory sizes from PostgreSQL's usual guidance for a dedicated server: a quarter of RAM for
 * shared buffers (at most 8 GB), three quarters as the planner's estimate of the cache; WAL
 * sized so the bulk copy and the recompute do not checkpoint every few seconds. Durability
 * (fsync, synchronous_commit, full_page_writes) stays at PostgreSQL's defaults: on.
 */
export function benchPostgresSettings(): Record<string, string> {
  const mib = Math.floor(os.totalmem() / 1024 / 1024);
  return {
    shared_buffers: `${Math.min(8192, Math.floor(mib / 4))}MB`,
    effective_cache_size: `${Math.floor((mib * 3) / 4)}MB`,
    work_mem: "64MB",
    maintenance_work_mem: "1GB",
    max_wal_size: "8GB",
    checkpoint_timeout: "15min",
    // SSD storage: random reads cost about what sequential ones do.
    random_page_cost: "1.1",
  };
}

function nameOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** What identifies a dataset's contents: a copy made from other contents is made again. */
function fingerprint(datasetFile: string): string {
  const sqlite = new BetterSqlite3(datasetFile, { readonly: true, fileMustExist: true });
  try {
    const row = sqlite
      .prepare("SELECT (SELECT coalesce(max(id), 0) FROM events) AS events, (SELECT count(*) FROM accounts) AS accounts, (SELECT coalesce(max(as_of_day), 0) FROM account_scores) AS scored, (SELECT count(*) FROM config_versions) AS versions")
      .get();
    return JSON.stringify({ file: path.basename(datasetFile), bytes: fs.statSync(datasetFile).size, row });
  } finally {
    sqlite.close();
  }
}

export async function startBenchPostgres(options: { port?: number } = {}): Promise<BenchPostgres> {
  const settings = benchPostgresSettings();
  const directory = path.join(BENCH_DATA_DIR, "postgres");
  log(`PostgreSQL: starting the benchmark's server in ${path.relative(process.cwd(), directory)} (durable; ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(", ")})`);
  const server: TemporaryPostgres = await startTemporaryPostgres({ durable: true, settings, directory, port: options.port });
  // Stopped however the run ends (an error, Ctrl-C): the cluster stays on disk, the server does not keep running.
  const stopOnExit = () => server.stop();
  process.once("exit", stopOnExit);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const templates = new Map<string, Promise<string>>();
  const seconds: Record<string, number> = {};
  let count = 0;

  async function exists(name: string): Promise<boolean> {
    return (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  }

  async function templateFor(datasetFile: string): Promise<string> {
    const name = `bench_template_${path.basename(datasetFile, ".db").replace(/[^a-z0-9]/gi, "_").toLowerCase()}`;
    const marker = path.join(directory, `${name}.complete`);
    const print = fingerprint(datasetFile);
    try {
      const kept = JSON.parse(fs.readFileSync(marker, "utf8")) as { fingerprint?: unknown; seconds?: unknown };
      if (kept.fingerprint === print && typeof kept.seconds === "number" && (await exists(name))) {
        seconds[datasetFile] = kept.seconds;
        log(`  PostgreSQL copy of ${path.basename(datasetFile)} reused (copied in ${kept.seconds.toFixed(0)} s when made)`);
        return name;
      }
    } catch {
      // No complete copy yet.
    }
    fs.rmSync(marker, { force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = databaseUrl(server.url, name);
    const db = new PostgresDb(createPool(url, { max: 1 }), url);
    const client = new pg.Client({ connectionString: url });
    const source = new BetterSqlite3(datasetFile, { readonly: true, fileMustExist: true });
    try {
      await migratePostgres(db);
      await client.connect();
      log(`  copying ${path.basename(datasetFile)} into PostgreSQL (db/transfer.ts, once per dataset) …`);
      let lastLog = 0;
      const result = await transferSqliteToPostgres(
        source,
        client,
        (p) => {
          if (Date.now() - lastLog > 30_000) {
            lastLog = Date.now();
            log(`    ${p.table}: ${fmt(p.copied)} / ${fmt(p.total)}`);
          }
        },
        (step) => log(`    ${step} …`),
      );
      // The copy analyzed; VACUUM also sets the visibility map, as autovacuum would on a live installation.
      await client.query("VACUUM ANALYZE");
      seconds[datasetFile] = result.millis / 1000;
      log(`  copied ${fmt(result.tables.reduce((n, t) => n + t.rows, 0))} rows in ${(result.millis / 1000).toFixed(0)} s`);
    } finally {
      source.close();
      await client.end();
      await db.close();
    }
    fs.writeFileSync(marker, JSON.stringify({ fingerprint: print, seconds: seconds[datasetFile], at: new Date().toISOString() }));
    return name;
  }

  return {
    settings,
    async databaseFor(datasetFile, scenario) {
      let template = templates.get(datasetFile);
      if (!template) {
        template = templateFor(datasetFile);
        templates.set(datasetFile, template);
      }
      const templateName = await template;
      const name = `bench_${scenario.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${++count}`;
      const started = performance.now();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
      log(`  PostgreSQL database ${name} cloned in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      return databaseUrl(server.url, name);
    },
    async drop(url) {
      await admin.query(`DROP DATABASE IF EXISTS ${nameOf(url)} WITH (FORCE)`);
    },
    copySeconds: () => ({ ...seconds }),
    async sizeOf(url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const total = await client.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
        const tables = await client.query<{ name: string; bytes: string }>(
          "SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC",
        );
        return { total: Number(total.rows[0]?.bytes ?? 0), tables: Object.fromEntries(tables.rows.map((r) => [r.name, Number(r.bytes)])) };
      } finally {
        await client.end();
      }
    },
    async client(url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    },
    stop() {
      process.removeListener("exit", stopOnExit);
      void admin.end();
      server.stop();
    },
  };
}

/** A fresh PostgreSQL copy of `datasetFile` with a write key for /v1/batch and a probe on it (the ingestion part's PostgreSQL side). */
export async function preparePostgresIngestCopy(bench: BenchPostgres, datasetFile: string, name: string): Promise<{ url: string; writeKey: string; probe: EventProbe; done(): Promise<void> }> {
  const url = await bench.databaseFor(datasetFile, name);
  const db = new PostgresDb(createPool(url, { max: 1 }), url);
  try {
    const writeKey = (await createWriteKey(db, { actor: { id: "bench", name: "Benchmark" }, label: "benchmark" })).key;
    return { url, writeKey, probe: postgresProbe(await bench.client(url)), done: () => bench.drop(url) };
  } finally {
    await db.close();
  }
}
