import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Dialect } from "@/db/client";
import type { CallListRow } from "@/lib/accounts/lists/types";
import { isoDateFromDay } from "@/lib/days";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";

/** A row as the query returns it: the account's columns, its stored score, its snooze and its last contact (the latter two joined, so null when absent). */
type RawRow = Columns<
  typeof schema.accounts,
  "id" | "externalId" | "name" | "plan" | "region" | "industry" | "stage" | "accountManager" | "renewalDate" | "trialEndDate" | "arr"
> &
  Columns<
    typeof schema.accountScores,
    "scoreHundredths" | "previousHundredths" | "band" | "previousBand" | "activity" | "previousActivity" | "firstDay" | "declining"
  > & {
    snoozedUntil: Column<typeof schema.accountSnoozes, "until"> | null;
    contactAt: Column<typeof schema.accountContacts, "contactedAt"> | null;
    contactOutcome: Column<typeof schema.accountContacts, "outcome"> | null;
    contactBy: Column<typeof schema.accountContacts, "userName"> | null;
  };

/**
 * The given ids as a table `j` of one bound JSON parameter, each row's place in the list in
 * `j.key`, and the accounts joined on them.
 */
function accountsOf(dialect: Dialect, ids: readonly number[]): SQL {
  const json = JSON.stringify(ids);
  return dialect === "sqlite"
    ? sql`json_each(${json}) AS j JOIN accounts a ON a.id = j.value`
    : sql`json_array_elements_text(CAST(${json} AS json)) WITH ORDINALITY AS j(value, key) JOIN accounts a ON a.id = CAST(j.value AS bigint)`;
}

/** The full rows of the given accounts, in the given order, with last contact and snooze. */
export async function rowsFor(db: Db, ids: readonly number[], today: number): Promise<CallListRow[]> {
  if (ids.length === 0) return [];
  const raw = await db.all<RawRow>(
    sql`SELECT a.id AS id, a.external_id AS "externalId", a.name AS name, a.plan AS plan, a.region AS region,
              a.industry AS industry, a.stage AS stage, a.account_manager AS "accountManager", a.renewal_date AS "renewalDate",
              a.trial_end_date AS "trialEndDate", a.arr AS arr, s.score_hundredths AS "scoreHundredths",
              s.previous_hundredths AS "previousHundredths", s.band AS band, s.previous_band AS "previousBand",
              s.activity AS activity, s.previous_activity AS "previousActivity", s.first_day AS "firstDay",
              s.declining AS declining, z.until AS "snoozedUntil",
              c.contacted_at AS "contactAt", c.outcome AS "contactOutcome", c.user_name AS "contactBy"
         FROM ${accountsOf(db.dialect, ids)}
         JOIN account_scores s ON s.account_id = a.id
         LEFT JOIN account_snoozes z ON z.account_id = a.id AND z.until > ${isoDateFromDay(today)}
         LEFT JOIN account_contacts c ON c.id = (
           SELECT c2.id FROM account_contacts c2 WHERE c2.account_id = a.id ORDER BY c2.contacted_at DESC, c2.id DESC LIMIT 1)
        ORDER BY j.key`,
  );
  return raw.map(toRow);
}

function toRow(raw: RawRow): CallListRow {
  const { snoozedUntil, contactAt, contactOutcome, contactBy, firstDay, ...rest } = raw;
  // A new account has no previous score: its stored comparison-window sum is not one.
  const hasPast = rest.previousActivity !== null;
  return {
    ...rest,
    previousHundredths: hasPast ? rest.previousHundredths : null,
    previousBand: hasPast ? rest.previousBand : null,
    previousActivity: rest.previousActivity,
    firstDate: firstDay === null ? null : isoDateFromDay(firstDay),
    declining: rest.declining === 1,
    lastContact: contactAt !== null && contactOutcome !== null ? { at: contactAt, outcome: contactOutcome, by: contactBy ?? "" } : null,
    snoozedUntil,
  };
}

