/**
 * PostgreSQL's COPY text format (https://www.postgresql.org/docs/current/sql-copy.html), written
 * for the values SQLite hands back, for the copy of an installation (db/transfer.ts).
 *
 * One function writes both what is sent (COPY … FROM STDIN) and what the copy is checked
 * against: PostgreSQL's own COPY … TO STDOUT of the stored rows, which escapes exactly these
 * characters (backslash, and \b \f \n \r \t \v as letters; other control characters pass
 * as-is), renders integers in plain decimal and bytea as `\\x` + lower-case hex. Floats are the
 * exception: PostgreSQL's decimal form differs from JavaScript's in layout (1e-07 vs 1e-7), so
 * the check compares their exact bits instead (`float8send` on the PostgreSQL side).
 */
export type ColumnKind = "integer" | "float" | "text" | "bytea";

/** The kinds of column this copy knows; anything else is refused before a row moves. */
export function columnKind(pgType: string): ColumnKind | null {
  switch (pgType) {
    case "smallint":
    case "integer":
    case "bigint":
      return "integer";
    case "double precision":
      return "float";
    case "text":
      return "text";
    case "bytea":
      return "bytea";
    default:
      return null;
  }
}

const NEEDS_ESCAPE = /[\\\b\f\n\r\t\v]/;
const ESCAPED = /[\\\b\f\n\r\t\v]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };

export const COPY_NULL = "\\N";

function escapeText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c] ?? c) : text;
}

function describe(value: unknown): string {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return "a blob";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/** A float as decimal text that parses back to the same double (JavaScript's shortest form). */
function floatText(value: number): string {
  if (Object.is(value, -0)) return "-0";
  return String(value); // Infinity, -Infinity and NaN are spelled as PostgreSQL reads them.
}

function floatBits(value: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value);
  return `\\\\x${bytes.toString("hex")}`;
}

function asFloat(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return null;
}

/** Writes one SQLite value (read with safeIntegers: integers are bigints) as a COPY field. */
export type FieldEncoder = (value: unknown) => string;

/**
 * The encoder for a column of this kind; `forChecksum` renders floats as their bits. It throws
 * on a value the column cannot hold, naming `column`.
 */
export function fieldEncoder(kind: ColumnKind, column: string, forChecksum = false): FieldEncoder {
  const refuse = (value: unknown): never => {
    throw new Error(`${column}: ${describe(value)} cannot be stored in ${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} column`);
  };
  switch (kind) {
    case "integer":
      return (value) => {
        if (typeof value === "bigint") return value.toString();
        if (value === null || value === undefined) return COPY_NULL;
        return typeof value === "number" && Number.isSafeInteger(value) ? String(value) : refuse(value);
      };
    case "float":
      return (value) => {
        if (value === null || value === undefined) return COPY_NULL;
        const number = asFloat(value);
        if (number === null) return refuse(value);
        return forChecksum ? floatBits(number) : floatText(number);
      };
    case "text":
      return (value) => {
        if (typeof value === "string") return escapeText(value);
        return value === null || value === undefined ? COPY_NULL : refuse(value);
      };
    case "bytea":
      return (value) => {
        if (value === null || value === undefined) return COPY_NULL;
        if (Buffer.isBuffer(value)) return `\\\\x${value.toString("hex")}`;
        return value instanceof Uint8Array ? `\\\\x${Buffer.from(value).toString("hex")}` : refuse(value);
      };
  }
}
