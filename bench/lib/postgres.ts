import os from "node:os";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { migratePostgres } from "@/db/postgres-migrate";
import { transferSqliteToPostgres } from "@/db/transfer";
import { startTemporaryPostgres, type TemporaryPostgres } from "../../scripts/lib/temporary-postgres";
import { fmt, log } from "./output";

/**
 * PostgreSQL for `npm run bench -- --db postgres` (issue 15): a temporary server on this
 * machine, durable (fsync and synchronous commit on, as in production) and sized as one would
 * size a dedicated database server's memory for this data. Each dataset is copied once from
 * its SQLite file with the product's own move (db/transfer.ts, verified by checksums) into a
 * template database; every scenario then gets its own database cloned from that template, as
 * the SQLite scenarios get their own copy of the file.
 */
export interface BenchPostgres {
  /** A fresh database holding the same rows as `datasetFile`, for one scenario; its URL. */
  databaseFor(datasetFile: string, scenario: string): Promise<string>;
  /** Drops a scenario's database. */
  drop(url: string): Promise<void>;
  /** Seconds each dataset took to copy from SQLite. */
  copySeconds(): Record<string, number>;
  /** Bytes a scenario's database takes on disk. */
  sizeOf(url: string): Promise<number>;
  stop(): void;
}

/** Memory sizes from the usual guidance: a quarter of RAM for shared buffers, three quarters as the planner's cache estimate. */
function settings(): Record<string, string> {
  const mib = Math.floor(os.totalmem() / 1024 / 1024);
  return {
    shared_buffers: `${Math.min(8192, Math.floor(mib / 4))}MB`,
    effective_cache_size: `${Math.floor((mib * 3) / 4)}MB`,
    work_mem: "64MB",
    maintenance_work_mem: "1GB",
    max_wal_size: "8GB",
    checkpoint_timeout: "15min",
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function nameOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const server: TemporaryPostgres = await startTemporaryPostgres({ durable: true, settings: settings() });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const templates = new Map<string, Promise<string>>();
  const seconds: Record<string, number> = {};
  let count = 0;

  async function templateFor(datasetFile: string): Promise<string> {
    const name = `bench_template_${templates.size + 1}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(server.url, name);
    const db = new PostgresDb(createPool(url, { max: 1 }), url);
    const client = new pg.Client({ connectionString: url });
    const source = new BetterSqlite3(datasetFile, { readonly: true, fileMustExist: true });
    try {
      await migratePostgres(db);
      await client.connect();
      log(`  copying ${datasetFile} into PostgreSQL (db/transfer.ts) …`);
      const result = await transferSqliteToPostgres(source, client);
      await client.query("VACUUM ANALYZE");
      seconds[datasetFile] = result.millis / 1000;
      log(`  copied ${fmt(result.tables.reduce((n, t) => n + t.rows, 0))} rows in ${(result.millis / 1000).toFixed(0)} s`);
    } finally {
      source.close();
      await client.end();
      await db.close();
    }
    return name;
  }

  return {
    async databaseFor(datasetFile, scenario) {
      let template = templates.get(datasetFile);
      if (!template) {
        template = templateFor(datasetFile);
        templates.set(datasetFile, template);
      }
      const name = `bench_${scenario.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${++count}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${await template}`);
      return withDatabase(server.url, name);
    },
    async drop(url) {
      await admin.query(`DROP DATABASE IF EXISTS ${nameOf(url)} WITH (FORCE)`);
    },
    copySeconds: () => ({ ...seconds }),
    async sizeOf(url) {
      const result = await admin.query<{ bytes: string }>("SELECT pg_database_size($1) AS bytes", [nameOf(url)]);
      return Number(result.rows[0]?.bytes ?? 0);
    },
    stop() {
      void admin.end();
      server.stop();
    },
  };
}
