import "server-only";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Database } from "@/db";
import { csvLayout, detectDelimiter, mapAccountRow, mapEventRow, mapOutcomeRow, type ImportKind } from "@/lib/ingest/csv";
import type { MapResult } from "@/lib/ingest/segment";
import { recordAudit, type AuditActor } from "../audit";
import { ingestBatch } from "../ingest/writer";
import { syncScores } from "../score-sync";
import type { RowProblem } from "./csv-import";

/**
 * The streaming import behind `npm run import`: rows are parsed, checked and written in
 * chunks (one transaction each), so memory stays flat for any file size. Because events
 * are idempotent (message ids, or ids derived from each row's content and line), and
 * outcomes are identified by account and renewal date, an interrupted import can simply be
 * run again. Rows with problems are reported by line and
 * skipped; the rest are stored.
 */
export interface StreamImportParams {
  kind: ImportKind;
  input: Readable;
  actor: AuditActor;
  fileName: string;
  /** Rows per transaction. */
  chunkRows?: number;
  /** Check every row, store nothing. */
  dryRun?: boolean;
  onProgress?: (progress: { rows: number }) => void;
  /** Most problems kept for the report (all are counted). */
  maxProblems?: number;
}

export interface StreamImportSummary {
  rows: number;
  accepted: number;
  duplicates: number;
  accountsCreated: number;
  accountsUpdated: number;
  outcomesCreated: number;
  outcomesUpdated: number;
  problems: RowProblem[];
  problemCount: number;
  fileProblems: string[];
  millis: number;
}

function firstLine(chunk: Buffer | string): string {
  const text = typeof chunk === "string" ? chunk : chunk.toString("utf8", 0, Math.min(chunk.length, 65536));
  const end = text.indexOf("\n");
  return (end === -1 ? text : text.slice(0, end)).replace(/^\uFEFF/, "");
}

/** Reads the first chunk to choose the delimiter; returns it with a stream of the whole input. */
async function peekDelimiter(input: Readable): Promise<{ delimiter: "," | ";" | "\t"; stream: Readable }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const first = await iterator.next();
  async function* all() {
    if (first.done) return;
    yield first.value;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { delimiter: first.done ? "," : detectDelimiter(firstLine(first.value)), stream: Readable.from(all(), { objectMode: false }) };
}

export async function importCsvStream(db: Database, params: StreamImportParams): Promise<StreamImportSummary> {
  const started = performance.now();
  const chunkRows = params.chunkRows ?? 10_000;
  const maxProblems = params.maxProblems ?? 1000;
  const summary: StreamImportSummary = {
    rows: 0,
    accepted: 0,
    duplicates: 0,
    accountsCreated: 0,
    accountsUpdated: 0,
    outcomesCreated: 0,
    outcomesUpdated: 0,
    problems: [],
    problemCount: 0,
    fileProblems: [],
    millis: 0,
  };
  const problem = (line: number, field: string, message: string) => {
    summary.problemCount++;
    if (summary.problems.length < maxProblems) summary.problems.push({ line, field, message });
  };

  const { delimiter, stream } = await peekDelimiter(params.input);
  // on_record hands over the line from the parser's live context: csv-parse's `info` option
  // would clone a context object for every row.
  const parser = stream.pipe(
    parse({
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (record: string[], context) => Object.assign(record, { line: context.lines }),
    }),
  );

  const accountExists = db.sqlite.prepare("SELECT 1 FROM accounts WHERE external_id = ?").pluck();
  const userLinked = db.sqlite.prepare("SELECT 1 FROM user_links WHERE user_id = ?").pluck();
  const known = new Map<string, boolean>();
  const exists = (statement: typeof accountExists, key: string, value: string): boolean => {
    let found = known.get(key);
    if (found === undefined) {
      found = statement.get(value) !== undefined;
      if (known.size > 500_000) known.clear();
      known.set(key, found);
    }
    return found;
  };

  let chunk: MapResult[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    if (!params.dryRun) {
      const result = ingestBatch(db, chunk, { receivedAt: Date.now() });
      summary.accepted += result.accepted;
      summary.duplicates += result.duplicates;
      summary.accountsCreated += result.accountsCreated;
      summary.accountsUpdated += result.accountsUpdated;
      summary.outcomesCreated += result.outcomesCreated;
      summary.outcomesUpdated += result.outcomesUpdated;
      // Accounts created in this chunk exist from now on.
      for (const item of chunk) if (item.ok && item.op.kind === "account") known.set(`a:${item.op.groupId}`, true);
    } else {
      summary.accepted += chunk.length;
    }
    chunk = [];
  };

  let layout: ReturnType<typeof csvLayout> | null = null;
  let headerLength = 0;
  const receivedAt = Date.now();
  try {
    for await (const record of parser as AsyncIterable<string[] & { line: number }>) {
      const { line } = record;
      if (!layout) {
        layout = csvLayout(params.kind, record);
        headerLength = record.length;
        if (layout.problems.length > 0) {
          summary.fileProblems.push(...layout.problems);
          break;
        }
        continue;
      }
      summary.rows++;
      if (record.length !== headerLength) {
        problem(line, "", `has ${record.length} ${record.length === 1 ? "cell" : "cells"}; the header has ${headerLength}`);
      } else if (params.kind === "accounts") {
        const row = mapAccountRow(layout, record);
        if (row.ok) chunk.push(row);
        else problem(line, row.field, row.message);
      } else if (params.kind === "outcomes") {
        const row = mapOutcomeRow(layout, record, receivedAt);
        if (!row.ok) problem(line, row.field, row.message);
        else if (!exists(accountExists, `a:${row.op.groupId}`, row.op.groupId)) {
          problem(line, row.op.accountField, `account "${row.op.groupId}" does not exist; import it first`);
        } else chunk.push(row);
      } else {
        const row = mapEventRow(layout, record, line, receivedAt);
        if (!row.ok) problem(line, row.field, row.message);
        else if (row.op.groupId !== null && !exists(accountExists, `a:${row.op.groupId}`, row.op.groupId)) {
          problem(line, layout.columns[layout.index.get("accountId") ?? 0]?.header ?? "account_id", `account "${row.op.groupId}" does not exist; import it first`);
        } else if (row.op.groupId === null && row.op.userId !== null && !exists(userLinked, `u:${row.op.userId}`, row.op.userId)) {
          problem(line, layout.columns[layout.index.get("userId") ?? 0]?.header ?? "user_id", `user "${row.op.userId}" is not linked to an account; add an account_id`);
        } else chunk.push(row);
      }
      if (chunk.length >= chunkRows) {
        flush();
        params.onProgress?.({ rows: summary.rows });
      }
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    summary.fileProblems.push(`The file stopped being readable CSV${line ? ` at line ${line}` : ""}: ${error instanceof Error ? error.message : String(error)}`);
  }
  flush();
  if (!layout && summary.fileProblems.length === 0) summary.fileProblems.push("The file is empty.");
  params.onProgress?.({ rows: summary.rows });

  if (!params.dryRun && summary.rows > 0) {
    syncScores(db);
    recordAudit(db, params.actor, {
      action: "import.commit",
      target: `csv:${params.kind}`,
      details: {
        file: params.fileName,
        via: "cli",
        rows: summary.rows,
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        problems: summary.problemCount,
        ...(params.kind === "outcomes" ? { outcomesCreated: summary.outcomesCreated, outcomesUpdated: summary.outcomesUpdated } : {}),
      },
    });
  }
  summary.millis = Math.round(performance.now() - started);
  return summary;
}
