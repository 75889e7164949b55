import "server-only";
import { log } from "@/lib/log";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { csvLayout, detectDelimiter, type ColumnMapping, type ImportKind } from "@/lib/ingestion/csv";
import { ProblemTally, rejectsHeaderLine, rejectsRowLine, type CsvDelimiter, type ReasonCount, type RowProblem } from "@/lib/ingestion/rejects";
import type { AccountOp, EventOp, MapResult, OutcomeOp } from "@/lib/ingestion/segment";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";
import { ingestBatch, type IngestResult } from "../writer";
import { syncScores } from "@/lib/scoring/server/score-sync";
import { matchEventName, suggestionsFor, type EventTypeCatalog } from "@/lib/ingestion/event-names";
import { loadEventTypeCatalog } from "../event-type-mapping";
import { rowChecker } from "./row-checker";

/**
 * The admin page's CSV import: the whole file is checked first (every row, against the
 * database too, with the same checks as the CLI: row-checker.ts). It is committed in ONE
 * transaction with its audit entry: every row, or — when the admin chooses to skip the rows
 * with problems — the valid rows only; those can be downloaded as a rejects file (the same
 * file the CLI writes) to fix and import. Large files go through the streaming CLI instead.
 */
export const WEB_IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const PREVIEW_ROWS = 10;
const MAX_REPORTED_PROBLEMS = 200;

export type { RowProblem } from "@/lib/ingestion/rejects";

export interface ImportSummary {
  rows: number;
  newAccounts: number;
  updatedAccounts: number;
  events: number;
  /** Event names that will be registered as new types (weight 0). */
  newEventTypes: string[];
  /** Event names that nearly match existing types: held for an admin to map, with what they may mean. */
  heldEventTypes: { name: string; suggestions: string[] }[];
  /** Event names written otherwise than a type's key that count for that type (by label, spacing or a mapped name). */
  matchedEventNames: { name: string; type: string }[];
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
  /** The first problems, by line (all of them are in the rejects file). */
  problems: RowProblem[];
  problemCount: number;
  /** Every problem, counted by column and reason, most frequent first. */
  problemsByReason: ReasonCount[];
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
    problemsByReason: [],
    summary: { rows: 0, newAccounts: 0, updatedAccounts: 0, events: 0, newEventTypes: [], heldEventTypes: [], matchedEventNames: [], newOutcomes: 0, knownOutcomes: 0 },
  };
}

export interface AnalyseOptions {
  receivedAt?: number;
  /** Also return the rejects file (every rejected row, as lib/ingestion/rejects.ts writes it). */
  withRejects?: boolean;
}

export interface Analysed {
  analysis: ImportAnalysis;
  /** The valid rows' operations, in file order. */
  ops: Op[];
  /** With `withRejects`: the rejects file's text, or null when no row was rejected. */
  rejectsCsv: string | null;
}

/** Checks a whole file; returns what it would do and the operations to do it. */
export async function analyseCsv(db: Db, kind: ImportKind, text: string, options: AnalyseOptions = {}): Promise<Analysed> {
  const receivedAt = options.receivedAt ?? Date.now();
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const refused = (problems: string[]): Analysed => ({ analysis: emptyAnalysis(kind, problems), ops: [], rejectsCsv: null });
  if (body.trim() === "") return refused(["The file is empty."]);
  const delimiter: CsvDelimiter = detectDelimiter(body.slice(0, body.indexOf("\n") === -1 ? undefined : body.indexOf("\n")));
  let records: ParsedRecord[];
  try {
    records = parse(body, { delimiter, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as ParsedRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const message = error instanceof Error ? error.message.replace(/^Invalid Record Length: /, "") : "unreadable CSV";
    return refused([`This is not a readable CSV file${line ? ` (line ${line})` : ""}: ${message}`]);
  }
  const [header, ...rows] = records;
  if (!header) return refused(["The file is empty."]);
  const layout = csvLayout(kind, header.record);
  const analysis: ImportAnalysis = {
    ...emptyAnalysis(kind, layout.problems),
    columns: layout.columns,
    sample: rows.slice(0, PREVIEW_ROWS).map((r) => ({ line: r.info.lines, cells: r.record })),
  };
  analysis.summary.rows = rows.length;
  if (rows.length === 0) analysis.fileProblems.push("The file has a header but no rows.");
  if (analysis.fileProblems.length > 0) return { analysis, ops: [], rejectsCsv: null };

  const tally = new ProblemTally();
  const rejects: string[] = [];
  const reject = (problem: RowProblem, cells: readonly string[]) => {
    analysis.problemCount++;
    tally.add(problem);
    if (analysis.problems.length < MAX_REPORTED_PROBLEMS) analysis.problems.push(problem);
    if (options.withRejects) rejects.push(rejectsRowLine(problem, cells, delimiter));
  };

  const checker = rowChecker(db, layout, header.record.length, receivedAt);
  const names = eventNamePreview(await loadEventTypeCatalog(db));
  const checked = await checker.checkRows(rows.map((r) => ({ record: r.record, line: r.info.lines })));
  const ops: Op[] = [];
  checked.forEach((row, i) => {
    if (row.ok) ops.push(row.op);
    else reject(row.problem, rows[i]?.record ?? []);
  });
  const existingAccounts = await existing(
    db,
    ops.flatMap((op) => (op.kind === "account" ? [op.groupId] : [])),
  );
  const knownOutcomes = await existingOutcomes(db, ops);
  const seen = new Set<string>();
  for (const op of ops) {
    if (op.kind === "account") {
      if (seen.has(op.groupId)) continue;
      seen.add(op.groupId);
      if (existingAccounts.has(op.groupId)) analysis.summary.updatedAccounts++;
      else analysis.summary.newAccounts++;
    } else if (op.kind === "outcome") {
      if (seen.has(op.messageId)) continue;
      seen.add(op.messageId);
      if (knownOutcomes.has(outcomeKey(op.groupId, op.outcome.renewalDate))) analysis.summary.knownOutcomes++;
      else analysis.summary.newOutcomes++;
    } else {
      analysis.summary.events++;
      names.add(op.typeKey, op.typeLabel);
    }
  }
  Object.assign(analysis.summary, names.summary());
  analysis.problemsByReason = tally.byReason();
  const rejectsCsv = options.withRejects && rejects.length > 0 ? rejectsHeaderLine(header.record, delimiter) + rejects.join("") : null;
  return { analysis, ops, rejectsCsv };
}

const IDS_PER_QUERY = 500;

function idList(ids: readonly string[]) {
  return sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
}

/** Which of these accounts exist. */
async function existing(db: Db, externalIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(externalIds)];
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await db.all<Columns<typeof schema.accounts, "externalId">>(
      sql`SELECT external_id AS "externalId" FROM accounts WHERE external_id IN (${idList(ids.slice(i, i + IDS_PER_QUERY))})`,
    );
    for (const row of rows) found.add(row.externalId);
  }
  return found;
}

function outcomeKey(externalId: string, renewalDate: string): string {
  return `${externalId}\u0000${renewalDate}`;
}

/** The renewals already recorded for the accounts the file's outcomes name, by outcomeKey. */
async function existingOutcomes(db: Db, ops: readonly Op[]): Promise<Set<string>> {
  const ids = [...new Set(ops.flatMap((op) => (op.kind === "outcome" ? [op.groupId] : [])))];
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await db.all<Columns<typeof schema.accounts, "externalId"> & Columns<typeof schema.renewalOutcomes, "renewalDate">>(
      sql`SELECT a.external_id AS "externalId", o.renewal_date AS "renewalDate" FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id
        WHERE a.external_id IN (${idList(ids.slice(i, i + IDS_PER_QUERY))})`,
    );
    for (const row of rows) found.add(outcomeKey(row.externalId, row.renewalDate));
  }
  return found;
}

/** What the file's event names will count for, by the rule every ingestion path uses (lib/ingestion/event-names.ts). */
function eventNamePreview(catalog: EventTypeCatalog) {
  const labelOf = (id: number) => catalog.types.get(id)?.label ?? `#${id}`;
  const seen = new Set<string>();
  const newTypes: string[] = [];
  const held: ImportSummary["heldEventTypes"] = [];
  const matched: ImportSummary["matchedEventNames"] = [];
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    add(nameKey: string, name: string) {
      if (seen.has(nameKey)) return;
      seen.add(nameKey);
      const match = matchEventName(catalog, nameKey);
      if (match.kind === "new") newTypes.push(name);
      else if (match.kind === "held") held.push({ name, suggestions: match.candidates.map(labelOf) });
      else if (match.kind === "type" && catalog.types.get(match.typeId)?.held) held.push({ name, suggestions: suggestionsFor(catalog, nameKey).map(labelOf) });
      else if (match.kind === "type" && match.by !== "key") matched.push({ name, type: labelOf(match.typeId) });
    },
    summary: (): Pick<ImportSummary, "newEventTypes" | "heldEventTypes" | "matchedEventNames"> => ({
      newEventTypes: newTypes.sort((a, b) => a.localeCompare(b)),
      heldEventTypes: held.sort(byName),
      matchedEventNames: matched.sort(byName),
    }),
  };
}

export type CommitOutcome = { ok: true; analysis: ImportAnalysis; result: IngestResult } | { ok: false; analysis: ImportAnalysis };

export interface CommitParams {
  kind: ImportKind;
  fileName: string;
  text: string;
  /** Store the valid rows and skip the rows with problems (default: all rows or none). */
  skipProblems?: boolean;
}

/**
 * Checks the file again and stores it in one transaction: when every row is valid, or, with
 * `skipProblems`, its valid rows. A file that cannot be read as a whole is never stored.
 */
export async function commitCsv(db: Db, actor: AuditActor, params: CommitParams): Promise<CommitOutcome> {
  const receivedAt = Date.now();
  const { analysis, ops } = await analyseCsv(db, params.kind, params.text, { receivedAt });
  if (analysis.fileProblems.length > 0 || (analysis.problemCount > 0 && !params.skipProblems) || ops.length === 0) return { ok: false, analysis };
  const items: MapResult[] = ops.map((op) => ({ ok: true, op }));
  const result = await ingestBatch(db, items, {
    receivedAt,
    afterWrite: (tx, r) =>
      recordAudit(tx, actor, {
        action: "import.commit",
        target: `csv:${params.kind}`,
        details: {
          file: params.fileName,
          rows: analysis.summary.rows,
          ...(analysis.problemCount > 0 ? { skipped: analysis.problemCount } : {}),
          accepted: r.accepted,
          duplicates: r.duplicates,
          accountsCreated: r.accountsCreated,
          ...(params.kind === "outcomes" ? { outcomesCreated: r.outcomesCreated, outcomesUpdated: r.outcomesUpdated } : {}),
        },
      }),
  });
  try {
    await syncScores(db);
  } catch (error) {
    // Stored is stored: the next sync (next ingestion, or the freshness loop) catches up.
    log.error("imported, but could not bring scores up to date yet", { component: "import", err: error });
  }
  return { ok: true, analysis, result };
}
