import { REJECT_COLUMNS } from "./reject-columns";

/**
 * The rows an import rejects, as a file to fix: the columns of the rejects file (why, then
 * the original row as it was), and the tally of problems by reason. The CLI writes it beside
 * its input; the import page offers the same file for download. Fixed, it can be imported as
 * it is (the rejected_* columns are ignored, and the rows keep the ids they would have had in
 * the original file, lib/ingestion/csv.ts).
 */
export { REJECT_COLUMNS, isRejectColumn } from "./reject-columns";

export interface RowProblem {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  /** The column, as the file names it ("" for the row as a whole). */
  field: string;
  /** What is wrong with this row, naming its values. */
  message: string;
  /** The same without this row's values, for counting problems by reason. */
  reason: string;
}

export type CsvDelimiter = "," | ";" | "\t";

/**
 * A cell exactly as it was in the file, quoted when it must be. The original cells go back
 * unchanged (no formula guard, unlike exports of ours: they are the user's own data and
 * must import again as they were).
 */
function rawCell(value: string, delimiter: CsvDelimiter): string {
  return value.includes('"') || value.includes(delimiter) || value.includes("\n") || value.includes("\r") ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Our own text (a reason may quote a value of the file): a spreadsheet must not run it as a formula. */
function textCell(value: string, delimiter: CsvDelimiter): string {
  return rawCell(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value, delimiter);
}

export function rejectsHeaderLine(header: readonly string[], delimiter: CsvDelimiter): string {
  return `${[...REJECT_COLUMNS.map((c) => textCell(c, delimiter)), ...header.map((h) => rawCell(h, delimiter))].join(delimiter)}\r\n`;
}

export function rejectsRowLine(problem: RowProblem, cells: readonly string[], delimiter: CsvDelimiter): string {
  const why = [String(problem.line), textCell(problem.field, delimiter), textCell(problem.message, delimiter)];
  return `${[...why, ...cells.map((c) => rawCell(c, delimiter))].join(delimiter)}\r\n`;
}

/** Where the CLI writes the rejects of `input`: beside it, "events.csv" → "events.rejects.csv". */
export function rejectsPathFor(input: string): string {
  const base = input.replace(/\.(csv|tsv|txt)$/i, "");
  return `${base}.rejects.csv`;
}

export interface ReasonCount {
  field: string;
  reason: string;
  count: number;
}

/** Counts problems by column and reason; every problem, however many. */
export class ProblemTally {
  private readonly counts = new Map<string, ReasonCount>();

  add(problem: Pick<RowProblem, "field" | "reason">): void {
    const key = `${problem.field}\u0000${problem.reason}`;
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { field: problem.field, reason: problem.reason, count: 1 });
  }

  /** Most frequent first; ties by column, then reason. */
  byReason(): ReasonCount[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.field.localeCompare(b.field) || a.reason.localeCompare(b.reason));
  }
}

/** "account_id: account does not exist; import it first" */
export function describeReason(entry: Pick<ReasonCount, "field" | "reason">): string {
  return entry.field ? `${entry.field}: ${entry.reason}` : entry.reason;
}
