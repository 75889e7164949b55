import "server-only";
import { parentPort } from "node:worker_threads";
import { openReadOnlyDatabase, type Database } from "@/db";
import { runAnalysis, type AnalysisJob } from "./jobs";

/**
 * An analysis worker thread (started by ./pool.ts): runs one job at a time on its own
 * read-only connection to the server's database, so a fit that takes seconds never holds up
 * the thread that answers requests and writes events.
 */
export interface JobRequest {
  id: number;
  file: string;
  job: AnalysisJob;
}

export type JobReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const connections = new Map<string, Database>();

function connection(file: string): Database {
  let db = connections.get(file);
  if (!db) {
    db = openReadOnlyDatabase(file);
    connections.set(file, db);
  }
  return db;
}

parentPort?.on("message", (request: JobRequest) => {
  let reply: JobReply;
  try {
    reply = { id: request.id, ok: true, value: runAnalysis(connection(request.file), request.job) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
