import "server-only";
import type { Database } from "@/db";
import { eventRowMapper, mapAccountRow, mapOutcomeRow, type CsvLayout } from "@/lib/ingest/csv";
import type { RowProblem } from "@/lib/ingest/rejects";
import type { AccountOp, EventOp, OutcomeOp } from "@/lib/ingest/segment";

/**
 * Checks the rows of ONE file in order, the same way for the admin page and the CLI: what
 * each row means (lib/ingest/csv.ts) and whether the database can take it (the account
 * exists, the user is linked). Every problem comes with the row's line and a reason without
 * the row's own values, for counting problems by reason.
 */
export type CheckedRow = { ok: true; op: AccountOp | EventOp | OutcomeOp } | { ok: false; problem: RowProblem };

export interface RowChecker {
  check(record: readonly string[], line: number): CheckedRow;
  /** An account the import has stored: rows naming it are fine from now on. */
  accountStored(externalId: string): void;
}

const MAX_REMEMBERED = 500_000;

export function rowChecker(db: Database, layout: CsvLayout, headerLength: number, receivedAt: number): RowChecker {
  const accountExists = db.sqlite.prepare("SELECT 1 FROM accounts WHERE external_id = ?").pluck();
  const userLinked = db.sqlite.prepare("SELECT 1 FROM user_links WHERE user_id = ?").pluck();
  const known = new Map<string, boolean>();
  const exists = (statement: typeof accountExists, key: string, value: string): boolean => {
    let found = known.get(key);
    if (found === undefined) {
      found = statement.get(value) !== undefined;
      if (known.size > MAX_REMEMBERED) known.clear();
      known.set(key, found);
    }
    return found;
  };
  const header = (field: string, fallback: string) => layout.columns[layout.index.get(field) ?? -1]?.header ?? fallback;
  const events = eventRowMapper(layout, receivedAt);
  const outcomes = new Map<string, { line: number; value: string }>();
  const problem = (line: number, field: string, message: string, reason = message): CheckedRow => ({ ok: false, problem: { line, field, message, reason } });

  return {
    accountStored: (externalId) => known.set(`a:${externalId}`, true),
    check(record, line) {
      if (record.length !== headerLength) {
        return problem(line, "", `has ${record.length} ${record.length === 1 ? "cell" : "cells"}; the header has ${headerLength}`, "has another number of cells than the header");
      }
      if (layout.kind === "accounts") {
        const row = mapAccountRow(layout, record);
        return row.ok ? row : problem(line, row.field, row.message);
      }
      if (layout.kind === "outcomes") {
        const row = mapOutcomeRow(layout, record, receivedAt);
        if (!row.ok) return problem(line, row.field, row.message);
        const { groupId, outcome, messageId } = row.op;
        if (!exists(accountExists, `a:${groupId}`, groupId)) {
          return problem(line, row.op.accountField, `account "${groupId}" does not exist; import it first`, "account does not exist; import it first");
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
      const row = events.map(record);
      if (!row.ok) return problem(line, row.field, row.message);
      const { groupId, userId } = row.op;
      if (groupId !== null && !exists(accountExists, `a:${groupId}`, groupId)) {
        return problem(line, header("accountId", "account_id"), `account "${groupId}" does not exist; import it first`, "account does not exist; import it first");
      }
      if (groupId === null && userId !== null && !exists(userLinked, `u:${userId}`, userId)) {
        return problem(line, header("userId", "user_id"), `user "${userId}" is not linked to an account; add an account_id`, "user is not linked to an account; add an account_id");
      }
      return row;
    },
  };
}
