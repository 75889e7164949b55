import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Db } from "@/db/client";
import { log } from "@/lib/log";
import { csvLayout, detectDelimiter, type ImportKind } from "@/lib/ingestion/csv";
import { ProblemTally, rejectsHeaderLine, rejectsRowLine, type CsvDelimiter, type ReasonCount, type RowProblem } from "@/lib/ingestion/rejects";
import type { MapResult } from "@/lib/ingestion/segment";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";
import { ingestBatch } from "../writer";
import { syncScores } from "@/lib/scoring/server/score-sync";
import { rowChecker } from "./row-checker";

/**
 * The streaming import behind `npm run import`: rows are parsed, checked and written in
 * chunks (one transaction each), so memory stays flat for any file size (apart from about
 * 20 bytes per row without a message id, to number exact repeats: lib/ingestion/occurrences.ts).
 * Because events are idempotent (message ids, or ids derived from what each row says), and
 * outcomes are identified by account and renewal date, an interrupted import can simply be
 * run again, and so can an edited file. Rows with problems are skipped, counted by reason
 * and written, all of them, to a rejects file to fix and import; the rest are stored.
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
  /**
   * Progress after each committed chunk (after each checked chunk in a dry run): the rows
   * handled so far and the bytes of the input they span. Nothing counts before it is committed.
   */
  onProgress?: (progress: { rows: number; bytes: number }) => void | Promise<void>;
  /** Most problems kept for the report (all are counted, and all go to the rejects file). */
  maxProblems?: number;
  /**
   * Where to write every rejected row (the rejected_* columns, then the row as it was):
   * written to a temporary file and renamed when the import ends; removed when no row was
   * rejected, so a stale file never outlives a clean run.
   */
  rejectsFile?: string;
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
  /** Every problem, counted by column and reason, most frequent first. */
  problemsByReason: ReasonCount[];
  /** The rejects file, when rows were rejected and one was asked for. */
  rejectsFile: string | null;
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

/** Collects rejected rows into a file, written under a temporary name until the import ends. */
class RejectsWriter {
  private fd: number | null = null;
  private buffered: string[] = [];
  private bufferedLength = 0;
  private readonly temporary: string;

  constructor(
    private readonly file: string,
    private readonly delimiter: CsvDelimiter,
    private readonly header: readonly string[],
  ) {
    this.temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  }

  add(problem: RowProblem, cells: readonly string[]): void {
    if (this.fd === null) {
      this.fd = fs.openSync(this.temporary, "w");
      this.push(rejectsHeaderLine(this.header, this.delimiter));
    }
    this.push(rejectsRowLine(problem, cells, this.delimiter));
  }

  private push(line: string): void {
    this.buffered.push(line);
    this.bufferedLength += line.length;
    if (this.bufferedLength > 256 * 1024) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.buffered.length === 0) return;
    fs.writeSync(this.fd, this.buffered.join(""));
    this.buffered = [];
    this.bufferedLength = 0;
  }

  /** The file when rows were rejected, else null (and no file, not even one from an earlier run). */
  finish(): string | null {
    if (this.fd === null) {
      fs.rmSync(this.file, { force: true });
      return null;
    }
    this.flush();
    fs.closeSync(this.fd);
    this.fd = null;
    fs.renameSync(this.temporary, this.file);
    return this.file;
  }

  abandon(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.temporary, { force: true });
  }
}

export async function importCsvStream(db: Db, params: StreamImportParams): Promise<StreamImportSummary> {
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
    problemsByReason: [],
    rejectsFile: null,
    fileProblems: [],
    millis: 0,
  };
  const tally = new ProblemTally();
  let rejects: RejectsWriter | null = null;
  const reject = (problem: RowProblem, cells: readonly string[]) => {
    summary.problemCount++;
    tally.add(problem);
    if (summary.problems.length < maxProblems) summary.problems.push(problem);
    rejects?.add(problem, cells);
  };

  const { delimiter, stream } = await peekDelimiter(params.input);
  // on_record hands over the line and the bytes read up to the end of the record.
  const parser = stream.pipe(
    parse({
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (record: string[], context) => Object.assign(record, { line: context.lines, bytes: context.bytes }),
    }),
  );

  /** Rows read and not yet checked (checked together: their accounts and users in a few queries). */
  let unchecked: { record: string[]; line: number }[] = [];
  /** Rows and input bytes up to the end of the last row read. */
  let handledRows = 0;
  let handledBytes = 0;
  let checker: ReturnType<typeof rowChecker> | null = null;
  const flush = async () => {
    const rows = unchecked;
    unchecked = [];
    const chunk: MapResult[] = [];
    if (checker && rows.length > 0) {
      const checked = await checker.checkRows(rows);
      checked.forEach((row, i) => {
        if (row.ok) chunk.push(row);
        else reject(row.problem, rows[i]?.record ?? []);
      });
    }
    if (chunk.length > 0) {
      if (!params.dryRun) {
        const result = await ingestBatch(db, chunk, { receivedAt: Date.now() });
        summary.accepted += result.accepted;
        summary.duplicates += result.duplicates;
        summary.accountsCreated += result.accountsCreated;
        summary.accountsUpdated += result.accountsUpdated;
        summary.outcomesCreated += result.outcomesCreated;
        summary.outcomesUpdated += result.outcomesUpdated;
        // Accounts created in this chunk exist from now on.
        for (const item of chunk) if (item.ok && item.op.kind === "account") checker?.accountStored(item.op.groupId);
      } else {
        summary.accepted += chunk.length;
      }
    }
    // Only now are these rows committed (or, in a dry run, checked).
    await params.onProgress?.({ rows: handledRows, bytes: handledBytes });
  };

  const receivedAt = Date.now();
  let headerSeen = false;
  try {
    for await (const record of parser as AsyncIterable<string[] & { line: number; bytes: number }>) {
      const { line } = record;
      if (!checker) {
        if (headerSeen) break;
        headerSeen = true;
        const layout = csvLayout(params.kind, record);
        if (layout.problems.length > 0) {
          summary.fileProblems.push(...layout.problems);
          break;
        }
        checker = rowChecker(db, layout, record.length, receivedAt);
        if (params.rejectsFile) rejects = new RejectsWriter(params.rejectsFile, delimiter, [...record]);
        handledBytes = record.bytes;
        continue;
      }
      summary.rows++;
      unchecked.push({ record, line });
      handledRows = summary.rows;
      handledBytes = record.bytes;
      if (unchecked.length >= chunkRows) await flush();
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    summary.fileProblems.push(`The file stopped being readable CSV${line ? ` at line ${line}` : ""}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    if (checker) await flush();
  } catch (error) {
    rejects?.abandon();
    throw error;
  }
  if (!headerSeen && summary.fileProblems.length === 0) summary.fileProblems.push("The file is empty.");
  summary.rejectsFile = rejects?.finish() ?? null;
  summary.problemsByReason = tally.byReason();

  if (!params.dryRun && summary.rows > 0) {
    try {
      await syncScores(db);
    } catch (error) {
      // Stored is stored: the next sync (the server's freshness loop) catches up.
      log.error("imported, but could not bring scores up to date yet", { component: "import", err: error });
    }
    await recordAudit(db, params.actor, {
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
