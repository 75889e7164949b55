import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { eventRowMapper, mapAccountRow, mapOutcomeRow, type CsvLayout } from "@/lib/ingestion/csv";
import type { RowProblem } from "@/lib/ingestion/rejects";
import type { AccountOp, EventOp, OutcomeOp } from "@/lib/ingestion/segment";

/**
 * Checks the rows of ONE file in order, the same way for the admin page and the CLI: what
 * each row means (lib/ingestion/csv.ts) and whether the database can take it (the account
 * exists, the user is linked). Every problem comes with the row's line and a reason without
 * the row's own values, for counting problems by reason.
 */
export type CheckedRow = { ok: true; op: AccountOp | EventOp | OutcomeOp } | { ok: false; problem: RowProblem };

export interface RowChecker {
  /** Checks rows in file order (their accounts and users looked up in a few queries). */
  checkRows(rows: readonly { record: readonly string[]; line: number }[]): Promise<CheckedRow[]>;
  /** An account the import has stored: rows naming it are fine from now on. */
  accountStored(externalId: string): void;
}

const MAX_REMEMBERED = 500_000;
const IDS_PER_QUERY = 500;

/** An id `found` lists: an account's external id or a linked user's id. */
interface FoundId {
  id: Column<typeof schema.accounts, "externalId"> | Column<typeof schema.userLinks, "userId">;
}

/** Which of these ids a table has (`found` lists the column as "id"). */
async function present(db: Db, ids: readonly string[], found: (list: SQL) => SQL): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const list = sql.join(
      ids.slice(i, i + IDS_PER_QUERY).map((id) => sql`${id}`),
      sql`, `,
    );
    for (const row of await db.all<FoundId>(found(list))) out.add(row.id);
  }
  return out;
}

export function rowChecker(db: Db, layout: CsvLayout, headerLength: number, receivedAt: number): RowChecker {
  const known = new Map<string, boolean>();
  const remember = (key: string, found: boolean) => {
    if (known.size > MAX_REMEMBERED) known.clear();
    known.set(key, found);
  };
  /** Looks up the accounts and users these rows name that are not known yet. */
  const lookUp = async (accountIds: readonly string[], userIds: readonly string[]) => {
    const accounts = [...new Set(accountIds)].filter((id) => !known.has(`a:${id}`));
    const users = [...new Set(userIds)].filter((id) => !known.has(`u:${id}`));
    const foundAccounts = await present(db, accounts, (list) => sql`SELECT external_id AS id FROM accounts WHERE external_id IN (${list})`);
    const foundUsers = await present(db, users, (list) => sql`SELECT user_id AS id FROM user_links WHERE user_id IN (${list})`);
    for (const id of accounts) remember(`a:${id}`, foundAccounts.has(id));
    for (const id of users) remember(`u:${id}`, foundUsers.has(id));
  };
  const exists = (key: string): boolean => known.get(key) ?? false;
  const header = (field: string, fallback: string) => layout.columns[layout.index.get(field) ?? -1]?.header ?? fallback;
  const events = eventRowMapper(layout, receivedAt);
  const outcomes = new Map<string, { line: number; value: string }>();
  const problem = (line: number, field: string, message: string, reason = message): CheckedRow => ({ ok: false, problem: { line, field, message, reason } });

  /** What a row means on its own (no database needed). */
  const map = (record: readonly string[], line: number): CheckedRow => {
    if (record.length !== headerLength) {
      return problem(line, "", `has ${record.length} ${record.length === 1 ? "cell" : "cells"}; the header has ${headerLength}`, "has another number of cells than the header");
    }
    if (layout.kind === "accounts") {
      const row = mapAccountRow(layout, record);
      return row.ok ? row : problem(line, row.field, row.message);
    }
    if (layout.kind === "outcomes") {
      const row = mapOutcomeRow(layout, record, receivedAt);
      return row.ok ? row : problem(line, row.field, row.message);
    }
    const row = events.map(record);
    return row.ok ? row : problem(line, row.field, row.message);
  };

  /** Whether the database (and the rows before) can take a row that means something. */
  const fits = (row: CheckedRow, line: number): CheckedRow => {
    if (!row.ok) return row;
    const { op } = row;
    if (op.kind === "account") return row;
    if (op.kind === "outcome") {
      const { groupId, outcome, messageId } = op;
      if (!exists(`a:${groupId}`)) {
        return problem(line, op.accountField, `account "${groupId}" does not exist; import it first`, "account does not exist; import it first");
      }
      const value = JSON.stringify(outcome);
      const earlier = outcomes.get(messageId);
      if (earlier && earlier.value !== value) {
        return problem(
          line,
          header("outcome", "outcome"),
          `the renewal of "${groupId}" on ${outcome.renewalDate} is on line ${earlier.line} too, with other values; keep one`,
          "the same renewal is on another line with other values; keep one",
        );
      }
      if (!earlier) outcomes.set(messageId, { line, value });
      return row;
    }
    const { groupId, userId } = op;
    if (groupId !== null && !exists(`a:${groupId}`)) {
      return problem(line, header("accountId", "account_id"), `account "${groupId}" does not exist; import it first`, "account does not exist; import it first");
    }
    if (groupId === null && userId !== null && !exists(`u:${userId}`)) {
      return problem(line, header("userId", "user_id"), `user "${userId}" is not linked to an account; add an account_id`, "user is not linked to an account; add an account_id");
    }
    return row;
  };

  return {
    accountStored: (externalId) => remember(`a:${externalId}`, true),
    async checkRows(rows) {
      const mapped = rows.map(({ record, line }) => map(record, line));
      const accountIds: string[] = [];
      const userIds: string[] = [];
      for (const row of mapped) {
        if (!row.ok || row.op.kind === "account") continue;
        if (row.op.groupId !== null) accountIds.push(row.op.groupId);
        else if (row.op.kind === "event" && row.op.userId !== null) userIds.push(row.op.userId);
      }
      await lookUp(accountIds, userIds);
      return mapped.map((row, i) => fits(row, rows[i]?.line ?? 0));
    },
  };
}
