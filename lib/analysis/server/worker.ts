import "server-only";
import { parentPort } from "node:worker_threads";
import { openReadOnlyDatabase } from "@/db";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { SqliteDb } from "@/db/sqlite-client";
import { runAnalysis, type AnalysisJob } from "./jobs";

/**
 * An analysis worker thread (started by ./pool.ts): runs one job at a time on its own
 * connection to the server's database (a read-only one on SQLite: WAL lets it read while the
 * server writes; one pooled connection on PostgreSQL), so a fit that takes seconds never
 * holds up the thread that answers requests and writes events.
 */
export type WorkerDatabase = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

export interface JobRequest {
  id: number;
  database: WorkerDatabase;
  job: AnalysisJob;
}

export type JobReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const connections = new Map<string, Db>();

function connection(database: WorkerDatabase): Db {
  const key = database.kind === "sqlite" ? `sqlite:${database.file}` : `postgres:${database.url}`;
  let db = connections.get(key);
  if (!db) {
    if (database.kind === "sqlite") {
      const readOnly = openReadOnlyDatabase(database.file);
      db = new SqliteDb(readOnly.sqlite, readOnly.file);
    } else {
      db = new PostgresDb(createPool(database.url, { max: 1 }), database.url);
    }
    connections.set(key, db);
  }
  return db;
}

parentPort?.on("message", (request: JobRequest) => {
  void answer(request).then((reply) => parentPort?.postMessage(reply));
});

async function answer(request: JobRequest): Promise<JobReply> {
  try {
    return { id: request.id, ok: true, value: await runAnalysis(connection(request.database), request.job) };
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
