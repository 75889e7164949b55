import { createHash } from "node:crypto";
import { z } from "zod";
import { dayFromMs } from "../days";
import { accountFieldFor, normalizeFieldName, parseAccountValues } from "./account-fields";
import { eventTypeKey, eventTypeLabel } from "./event-types";
import { eventTimeProblem } from "../date-ranges";
import { cleanLine, hasUnsafeCharacters, safeIdentifier, UNSAFE_IDENTIFIER_MESSAGE } from "../text-safety";
import { MAX_ID_LENGTH, MAX_QUANTITY, MAX_TEXT_LENGTH } from "./limits";
import type { ImportKind } from "./import-kinds";
import { OccurrenceCounter } from "./occurrences";
import { outcomeProblem, parseLenientOutcome } from "./outcome-fields";
import { isRejectColumn } from "./reject-columns";
import type { AccountOp, EventOp, OutcomeOp } from "./segment";

/**
 * CSV import of accounts and events, shared by the admin page and the streaming CLI: which
 * column means what (headers in any spelling: "Account Manager", "account_manager"), and
 * what each row means. Parsing the CSV text itself is csv-parse's job.
 */
export { IMPORT_KINDS, isImportKind, type ImportKind } from "./import-kinds";

type EventColumn = "accountId" | "userId" | "event" | "timestamp" | "quantity" | "messageId";
type AccountExtraColumn = "id" | "userIds";
type OutcomeColumn = "accountId" | "renewalDate" | "outcome" | "arrBefore" | "arrAfter";

const EVENT_COLUMN_ALIASES: Record<EventColumn, readonly string[]> = {
  accountId: ["accountid", "account", "groupid", "externalid", "accountexternalid"],
  userId: ["userid", "user"],
  event: ["event", "eventname", "eventtype", "type", "name"],
  timestamp: ["timestamp", "occurredat", "time", "datetime", "date"],
  quantity: ["quantity", "count", "qty"],
  messageId: ["messageid", "eventid", "id"],
};

const ACCOUNT_EXTRA_ALIASES: Record<AccountExtraColumn, readonly string[]> = {
  id: ["id", "accountid", "externalid", "groupid", "account"],
  userIds: ["userids", "users"],
};

const OUTCOME_COLUMN_ALIASES: Record<OutcomeColumn, readonly string[]> = {
  accountId: ["accountid", "account", "id", "groupid", "externalid", "accountexternalid"],
  renewalDate: ["renewaldate", "renewal", "date", "renewedon", "contractenddate", "enddate"],
  outcome: ["outcome", "renewaloutcome", "result", "status"],
  arrBefore: ["arrbefore", "previousarr", "oldarr", "arrbeforerenewal", "renewalarrbefore"],
  arrAfter: ["arrafter", "newarr", "arrafterrenewal", "renewalarrafter"],
};

/** What the admin page shows about each column: the header and what it was read as (null: ignored). */
export interface ColumnMapping {
  header: string;
  field: string | null;
}

export interface CsvLayout {
  kind: ImportKind;
  columns: ColumnMapping[];
  /** Column index by field. */
  index: Map<string, number>;
  /**
   * Events files: the other columns (an event's properties, e.g. "page" or "plan"), by
   * normalised header name, in name order. They are part of what a row says, so of its
   * generated id. The columns an import report adds (rejected_line…) are not.
   */
  properties: { name: string; index: number }[];
  /** Problems with the header row itself (a missing required column, a column given twice). */
  problems: string[];
}

function lookup<K extends string>(aliases: Record<K, readonly string[]>, header: string): K | null {
  const normalized = normalizeFieldName(header);
  for (const [field, names] of Object.entries(aliases) as [K, readonly string[]][]) {
    if (names.includes(normalized)) return field;
  }
  return null;
}

/** Reads the header row: which field each column holds, and what is missing. */
export function csvLayout(kind: ImportKind, headers: readonly string[]): CsvLayout {
  const index = new Map<string, number>();
  const problems: string[] = [];
  const columns = headers.map((raw, i): ColumnMapping => {
    const header = raw.trim();
    const field =
      kind === "events"
        ? lookup(EVENT_COLUMN_ALIASES, header)
        : kind === "outcomes"
          ? lookup(OUTCOME_COLUMN_ALIASES, header)
          : (lookup(ACCOUNT_EXTRA_ALIASES, header) ?? accountFieldFor(header));
    if (field === null) return { header, field: null };
    if (index.has(field)) {
      problems.push(`Columns "${headers[index.get(field) ?? 0]?.trim()}" and "${header}" both hold ${field}; keep one.`);
      return { header, field: null };
    }
    index.set(field, i);
    return { header, field };
  });
  const properties =
    kind === "events"
      ? columns
          .map((c, i) => ({ name: normalizeFieldName(c.header) || c.header, index: i, used: c.field !== null || c.header === "" || isRejectColumn(c.header) }))
          .filter((p) => !p.used)
          .map(({ name, index: i }) => ({ name, index: i }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index))
      : [];
  if (kind === "accounts" && !index.has("id")) problems.push('The file needs an "id" column (your id for each account, e.g. Segment\'s groupId).');
  if (kind === "events") {
    if (!index.has("event")) problems.push('The file needs an "event" column (the event name, e.g. "Report Created").');
    if (!index.has("timestamp")) problems.push('The file needs a "timestamp" column (when it happened, e.g. 2026-11-22T09:30:00Z).');
    if (!index.has("accountId") && !index.has("userId")) problems.push('The file needs an "account_id" column (or a "user_id" column of linked users).');
  }
  if (kind === "outcomes") {
    if (!index.has("accountId")) problems.push('The file needs an "account_id" column (your id for each account).');
    if (!index.has("renewalDate")) problems.push('The file needs a "renewal_date" column (the renewal each outcome settles, e.g. 2026-03-31).');
    if (!index.has("outcome")) problems.push('The file needs an "outcome" column (renewed, expanded, contracted or churned).');
  }
  return { kind, columns, index, properties, problems };
}

/** The delimiter of a CSV file from its header line: comma, semicolon (spreadsheets in many locales) or tab. */
export function detectDelimiter(headerLine: string): "," | ";" | "\t" {
  const counts = { ",": 0, ";": 0, "\t": 0 } as Record<"," | ";" | "\t", number>;
  for (const ch of headerLine) if (ch === "," || ch === ";" || ch === "\t") counts[ch]++;
  return counts[";"] > counts[","] && counts[";"] >= counts["\t"] ? ";" : counts["\t"] > counts[","] ? "\t" : ",";
}

export type RowResult<Op> = { ok: true; op: Op } | { ok: false; field: string; message: string };

function cell(layout: CsvLayout, cells: readonly string[], field: string): string | undefined {
  const i = layout.index.get(field);
  if (i === undefined) return undefined;
  const value = cells[i]?.trim();
  return value === "" ? undefined : value;
}

function headerOf(layout: CsvLayout, field: string): string {
  const i = layout.index.get(field);
  return i === undefined ? field : (layout.columns[i]?.header ?? field);
}

/** An account row: its id, the account fields it names (blank cells clear), and users to link. */
export function mapAccountRow(layout: CsvLayout, cells: readonly string[]): RowResult<AccountOp> {
  const id = cell(layout, cells, "id");
  if (!id) return { ok: false, field: headerOf(layout, "id"), message: "is required" };
  if (id.length > MAX_ID_LENGTH) return { ok: false, field: headerOf(layout, "id"), message: `must be at most ${MAX_ID_LENGTH} characters` };
  if (hasUnsafeCharacters(id)) return { ok: false, field: headerOf(layout, "id"), message: UNSAFE_IDENTIFIER_MESSAGE };
  const values: Record<string, unknown> = {};
  layout.columns.forEach((column, i) => {
    if (column.field === null || column.field === "id" || column.field === "userIds") return;
    values[column.header] = cells[i] ?? "";
  });
  const patch = parseAccountValues(values);
  if (!patch.ok) return { ok: false, field: patch.field, message: patch.message };
  const userIds = (cell(layout, cells, "userIds") ?? "")
    .split(/[;|,]/)
    .map((u) => u.trim())
    .filter((u) => u !== "");
  if (userIds.some((u) => u.length > MAX_ID_LENGTH)) return { ok: false, field: headerOf(layout, "userIds"), message: `each user id must be at most ${MAX_ID_LENGTH} characters` };
  if (userIds.some(hasUnsafeCharacters)) return { ok: false, field: headerOf(layout, "userIds"), message: `each user id ${UNSAFE_IDENTIFIER_MESSAGE}` };
  return { ok: true, op: { kind: "account", messageId: id, groupId: id, patch: patch.patch, linkIds: [...new Set(userIds)] } };
}

const CSV_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time in a CSV cell: ISO-8601 (a time without a zone is UTC, a date alone is its UTC
 * midnight) or a Unix time in seconds or milliseconds.
 */
export function parseCsvTime(text: string): number | null {
  if (/^\d{9,13}$/.test(text)) {
    const n = Number(text);
    return text.length >= 12 ? n : n * 1000;
  }
  const m = CSV_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${zone.toUpperCase() === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const ms = Date.parse(iso);
  // Date.parse rolls 2026-02-30 over into March: only dates that exist are taken.
  if (!Number.isFinite(ms) || new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d)) return null;
  return ms;
}

const eventRowSchema = z.object({
  accountId: z.string().max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`).pipe(safeIdentifier).optional(),
  userId: z.string().max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`).pipe(safeIdentifier).optional(),
  event: z.string({ error: "is required" }).transform(cleanLine).pipe(z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)),
  timestamp: z.string({ error: "is required" }).transform((v, ctx) => {
    const ms = parseCsvTime(v);
    if (ms === null) {
      ctx.addIssue({ code: "custom", message: "must be a date-time like 2026-11-22T09:30:00Z (or a date, or Unix seconds)" });
      return z.NEVER;
    }
    return ms;
  }),
  quantity: z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1, "must be at least 1").max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY.toLocaleString("en-US")}`))
    .optional(),
  messageId: z.string().max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`).pipe(safeIdentifier).optional(),
});

/** Turns the event rows of ONE file into events, in file order (see mapEventRow). */
export interface EventRowMapper {
  map(cells: readonly string[]): RowResult<EventOp>;
}

export function eventRowMapper(layout: CsvLayout, receivedAt: number): EventRowMapper {
  const occurrences = new OccurrenceCounter();
  return { map: (cells) => mapEventRow(layout, cells, receivedAt, occurrences) };
}

/** Bump when the content that identifies a row changes: ids of the same row must never change otherwise. */
const ROW_ID_VERSION = "1";

/**
 * An event row. A row without a message id gets one generated from what it says, and only
 * from that: its account, user, event name (as a key, so "Report Created" and
 * "report_created" are the same), time (as an instant, so "2026-11-20" and
 * "2026-11-20T00:00:00Z" are the same), quantity and its other columns (properties). Never
 * from its line: deleting, reordering, fixing or splitting lines leaves the other rows' ids
 * alone, so importing an edited file again stores exactly the rows not stored yet.
 *
 * Exact repeats: the n-th row of a file that says exactly what an earlier row says is the
 * n-th occurrence of that event (its id carries "#n"), so a file listing the same event
 * three times stores three events, and importing it again stores none. Copies of one row
 * count within one file: split such a file so that a row's copies stay together, or say how
 * many times it happened in a quantity column.
 */
function mapEventRow(layout: CsvLayout, cells: readonly string[], receivedAt: number, occurrences: OccurrenceCounter): RowResult<EventOp> {
  const raw = {
    accountId: cell(layout, cells, "accountId"),
    userId: cell(layout, cells, "userId"),
    event: cell(layout, cells, "event"),
    timestamp: cell(layout, cells, "timestamp"),
    quantity: cell(layout, cells, "quantity"),
    messageId: cell(layout, cells, "messageId"),
  };
  const parsed = eventRowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = typeof issue?.path[0] === "string" ? issue.path[0] : "";
    return { ok: false, field: headerOf(layout, field), message: issue?.message ?? "is invalid" };
  }
  const row = parsed.data;
  if (!row.accountId && !row.userId) return { ok: false, field: headerOf(layout, layout.index.has("accountId") ? "accountId" : "userId"), message: "is required" };
  const typeKey = eventTypeKey(row.event);
  if (!typeKey) return { ok: false, field: headerOf(layout, "event"), message: "must contain a letter or digit" };
  const timeProblem = eventTimeProblem(row.timestamp, receivedAt);
  if (timeProblem) return { ok: false, field: headerOf(layout, "timestamp"), message: timeProblem };
  const quantity = row.quantity ?? 1;
  let messageId = row.messageId;
  if (messageId === undefined) {
    const content = [ROW_ID_VERSION, row.accountId ?? "", row.userId ?? "", typeKey, String(row.timestamp), String(quantity)];
    for (const property of layout.properties) {
      const value = cells[property.index]?.trim();
      if (value) content.push(`${property.name}=${value}`);
    }
    const digest = createHash("sha256").update(content.join("\u0000")).digest("base64url");
    const occurrence = occurrences.nextDigest(digest);
    messageId = `csvrow-${digest.slice(0, 32)}${occurrence > 1 ? `#${occurrence}` : ""}`;
  }
  return {
    ok: true,
    op: {
      kind: "event",
      messageId,
      typeKey,
      typeLabel: eventTypeLabel(row.event),
      occurredAt: row.timestamp,
      day: dayFromMs(row.timestamp),
      quantity,
      groupId: row.accountId ?? null,
      userId: row.accountId ? null : (row.userId ?? null),
      anonymousId: null,
    },
  };
}

/**
 * A renewal outcome row: account, renewal date, outcome and optionally the ARR before and
 * after. Identified by account and renewal date, so importing a file again stores nothing new.
 */
export function mapOutcomeRow(layout: CsvLayout, cells: readonly string[], receivedAt: number): RowResult<OutcomeOp> {
  const accountId = cell(layout, cells, "accountId");
  const accountHeader = headerOf(layout, "accountId");
  if (!accountId) return { ok: false, field: accountHeader, message: "is required" };
  if (accountId.length > MAX_ID_LENGTH) return { ok: false, field: accountHeader, message: `must be at most ${MAX_ID_LENGTH} characters` };
  if (hasUnsafeCharacters(accountId)) return { ok: false, field: accountHeader, message: UNSAFE_IDENTIFIER_MESSAGE };
  const outcome = parseLenientOutcome(
    {
      outcome: cell(layout, cells, "outcome"),
      renewalDate: cell(layout, cells, "renewalDate"),
      arrBefore: cell(layout, cells, "arrBefore"),
      arrAfter: cell(layout, cells, "arrAfter"),
    },
    (field) => headerOf(layout, field),
  );
  if (!outcome.ok) return { ok: false, field: outcome.field, message: outcome.message };
  if (!outcome.fields) return { ok: false, field: headerOf(layout, "outcome"), message: "is required" };
  const problem = outcomeProblem(outcome.fields, receivedAt);
  if (problem) return { ok: false, field: headerOf(layout, problem.field), message: problem.message.replace("arrBefore", headerOf(layout, "arrBefore")) };
  return {
    ok: true,
    op: {
      kind: "outcome",
      messageId: `${accountId}@${outcome.fields.renewalDate}`,
      groupId: accountId,
      accountField: accountHeader,
      outcome: outcome.fields,
      source: "csv",
    },
  };
}
