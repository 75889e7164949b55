import "server-only";
import { log } from "@/lib/log";
import { parse } from "csv-parse/sync";
import type { Database } from "@/db";
import { csvLayout, detectDelimiter, mapAccountRow, mapEventRow, mapOutcomeRow, type ColumnMapping, type ImportKind } from "@/lib/ingest/csv";
import type { AccountOp, EventOp, MapResult, OutcomeOp } from "@/lib/ingest/segment";
import { recordAudit, type AuditActor } from "../audit";
import { ingestBatch, type IngestResult } from "../ingest/writer";
import { syncScores } from "../score-sync";

/**
 * The admin page's CSV import: the whole file is checked first (every row, against the
 * database too), and committed only when no row has a problem, in ONE transaction with its
 * audit entry: all or nothing. Large files go through the streaming CLI instead.
 */
export const WEB_IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const PREVIEW_ROWS = 10;
const MAX_REPORTED_PROBLEMS = 200;

export interface RowProblem {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  field: string;
  message: string;
}

export interface ImportSummary {
  rows: number;
  newAccounts: number;
  updatedAccounts: number;
  events: number;
  newEventTypes: string[];
  /** Outcomes files: renewals not recorded yet, and renewals already recorded (kept, or corrected where the file differs). */
  newOutcomes: number;
  knownOutcomes: number;
}

export interface ImportAnalysis {
  kind: ImportKind;
  columns: ColumnMapping[];
  /** Problems with the file as a whole (header, CSV syntax). */
  fileProblems: string[];
  sample: { line: number; cells: string[] }[];
  problems: RowProblem[];
  problemCount: number;
  summary: ImportSummary;
}

type Op = AccountOp | EventOp | OutcomeOp;

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

function emptyAnalysis(kind: ImportKind, fileProblems: string[]): ImportAnalysis {
  return {
    kind,
    columns: [],
    fileProblems,
    sample: [],
    problems: [],
    problemCount: 0,
    summary: { rows: 0, newAccounts: 0, updatedAccounts: 0, events: 0, newEventTypes: [], newOutcomes: 0, knownOutcomes: 0 },
  };
}

/** Checks a whole file; returns what it would do and the operations to do it. */
export function analyseCsv(db: Database, kind: ImportKind, text: string, receivedAt = Date.now()): { analysis: ImportAnalysis; ops: Op[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") return { analysis: emptyAnalysis(kind, ["The file is empty."]), ops: [] };
  let records: ParsedRecord[];
  try {
    records = parse(body, {
      delimiter: detectDelimiter(body.slice(0, body.indexOf("\n") === -1 ? undefined : body.indexOf("\n"))),
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const message = error instanceof Error ? error.message.replace(/^Invalid Record Length: /, "") : "unreadable CSV";
    return { analysis: emptyAnalysis(kind, [`This is not a readable CSV file${line ? ` (line ${line})` : ""}: ${message}`]), ops: [] };
  }
  const [header, ...rows] = records;
  if (!header) return { analysis: emptyAnalysis(kind, ["The file is empty."]), ops: [] };
  const layout = csvLayout(kind, header.record);
  const analysis: ImportAnalysis = {
    ...emptyAnalysis(kind, layout.problems),
    columns: layout.columns,
    sample: rows.slice(0, PREVIEW_ROWS).map((r) => ({ line: r.info.lines, cells: r.record })),
  };
  analysis.summary.rows = rows.length;
  if (rows.length === 0) analysis.fileProblems.push("The file has a header but no rows.");
  if (analysis.fileProblems.length > 0) return { analysis, ops: [] };

  const problem = (line: number, field: string, message: string) => {
    analysis.problemCount++;
    if (analysis.problems.length < MAX_REPORTED_PROBLEMS) analysis.problems.push({ line, field, message });
  };

  const accountExists = db.sqlite.prepare("SELECT 1 FROM accounts WHERE external_id = ?").pluck();
  const userLinked = db.sqlite.prepare("SELECT 1 FROM user_links WHERE user_id = ?").pluck();
  const typeExists = db.sqlite.prepare("SELECT 1 FROM event_types WHERE key = ?").pluck();
  const known = new Map<string, boolean>();
  const check = (statement: typeof accountExists, prefix: string, value: string): boolean => {
    const key = prefix + value;
    let found = known.get(key);
    if (found === undefined) {
      found = statement.get(value) !== undefined;
      known.set(key, found);
    }
    return found;
  };

  const outcomeKnown = db.sqlite.prepare(
    "SELECT 1 FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id WHERE a.external_id = ? AND o.renewal_date = ?",
  );
  const ops: Op[] = [];
  const seenAccounts = new Set<string>();
  const seenOutcomes = new Map<string, { line: number; value: string }>();
  const newTypes = new Set<string>();
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== header.record.length) {
      problem(line, "", `has ${record.length} ${record.length === 1 ? "cell" : "cells"}; the header has ${header.record.length}`);
      continue;
    }
    if (kind === "accounts") {
      const row = mapAccountRow(layout, record);
      if (!row.ok) {
        problem(line, row.field, row.message);
        continue;
      }
      if (!seenAccounts.has(row.op.groupId)) {
        seenAccounts.add(row.op.groupId);
        if (check(accountExists, "a:", row.op.groupId)) analysis.summary.updatedAccounts++;
        else analysis.summary.newAccounts++;
      }
      ops.push(row.op);
    } else if (kind === "outcomes") {
      const row = mapOutcomeRow(layout, record, receivedAt);
      if (!row.ok) {
        problem(line, row.field, row.message);
        continue;
      }
      const { groupId, outcome } = row.op;
      if (!check(accountExists, "a:", groupId)) {
        problem(line, row.op.accountField, `account "${groupId}" does not exist; import it first`);
        continue;
      }
      const value = JSON.stringify(outcome);
      const earlier = seenOutcomes.get(row.op.messageId);
      if (earlier && earlier.value !== value) {
        problem(line, layout.columns[layout.index.get("outcome") ?? 0]?.header ?? "outcome", `the renewal of "${groupId}" on ${outcome.renewalDate} is on line ${earlier.line} too, with other values; keep one`);
        continue;
      }
      if (!earlier) {
        seenOutcomes.set(row.op.messageId, { line, value });
        if (outcomeKnown.get(groupId, outcome.renewalDate) !== undefined) analysis.summary.knownOutcomes++;
        else analysis.summary.newOutcomes++;
      }
      ops.push(row.op);
    } else {
      const row = mapEventRow(layout, record, line, receivedAt);
      if (!row.ok) {
        problem(line, row.field, row.message);
        continue;
      }
      const { groupId, userId, typeKey } = row.op;
      if (groupId !== null && !check(accountExists, "a:", groupId)) {
        problem(line, layout.columns[layout.index.get("accountId") ?? 0]?.header ?? "account_id", `account "${groupId}" does not exist; import it first`);
        continue;
      }
      if (groupId === null && userId !== null && !check(userLinked, "u:", userId)) {
        problem(line, layout.columns[layout.index.get("userId") ?? 0]?.header ?? "user_id", `user "${userId}" is not linked to an account; add an account_id`);
        continue;
      }
      if (!check(typeExists, "t:", typeKey)) newTypes.add(row.op.typeLabel);
      analysis.summary.events++;
      ops.push(row.op);
    }
  }
  analysis.summary.newEventTypes = [...newTypes].sort();
  return { analysis, ops };
}

export type CommitOutcome = { ok: true; analysis: ImportAnalysis; result: IngestResult } | { ok: false; analysis: ImportAnalysis };

/** Checks the file again and, when every row is valid, stores all of it in one transaction. */
export function commitCsv(db: Database, actor: AuditActor, params: { kind: ImportKind; fileName: string; text: string }): CommitOutcome {
  const receivedAt = Date.now();
  const { analysis, ops } = analyseCsv(db, params.kind, params.text, receivedAt);
  if (analysis.fileProblems.length > 0 || analysis.problemCount > 0) return { ok: false, analysis };
  const items: MapResult[] = ops.map((op) => ({ ok: true, op }));
  const result = ingestBatch(db, items, {
    receivedAt,
    afterWrite: (r) =>
      recordAudit(db, actor, {
        action: "import.commit",
        target: `csv:${params.kind}`,
        details: {
          file: params.fileName,
          rows: analysis.summary.rows,
          accepted: r.accepted,
          duplicates: r.duplicates,
          accountsCreated: r.accountsCreated,
          ...(params.kind === "outcomes" ? { outcomesCreated: r.outcomesCreated, outcomesUpdated: r.outcomesUpdated } : {}),
        },
      }),
  });
  try {
    syncScores(db);
  } catch (error) {
    // Stored is stored: the next sync (next ingestion, or the freshness loop) catches up.
    log.error("imported, but could not bring scores up to date yet", { component: "import", err: error });
  }
  return { ok: true, analysis, result };
}
