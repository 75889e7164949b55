/**
 * Writing CSV (RFC 4180) that spreadsheets open safely. A text cell that a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or carriage return) gets a leading
 * apostrophe (OWASP's advice against CSV injection); numbers are written as they are. A cell
 * that holds any locale's separator is quoted, so no spreadsheet splits it into cells.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * Quoted: a quote or line break, and the field separator of any common locale (comma, semicolon
 * for locales with a decimal comma, tab): in a spreadsheet set to semicolons, `Acme;=1+1`
 * unquoted would become two cells, the second a formula.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, with the CRLF line ending RFC 4180 asks for. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
