import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Dialect } from "@/db/client";
import type { CallListRow } from "@/lib/accounts/lists/types";
import { isoDateFromDay } from "@/lib/days";
import { isBand } from "@/lib/scoring/bands";
import { isActivity } from "@/lib/scoring/standing";
import type { ContactOutcome } from "@/lib/accounts/contact-outcomes";

/** A row as the query returns it: the stored strings, the 0/1 flag, the first day and the last contact's columns. */
type RawRow = Omit<CallListRow, "band" | "previousBand" | "activity" | "previousActivity" | "previousHundredths" | "firstDate" | "declining" | "lastContact"> & {
  band: string;
  previousBand: string;
  activity: string;
  previousActivity: string | null;
  previousHundredths: number;
  firstDay: number | null;
  declining: number;
  contactAt: number | null;
  contactOutcome: ContactOutcome | null;
  contactBy: string | null;
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
  if (!isBand(rest.band) || !isBand(rest.previousBand)) throw new Error(`Unknown band stored for account ${rest.id}`);
  if (!isActivity(rest.activity) || (rest.previousActivity !== null && !isActivity(rest.previousActivity))) {
    throw new Error(`Unknown activity stored for account ${rest.id}`);
  }
  // A new account has no previous score: its stored comparison-window sum is not one.
  const hasPast = rest.previousActivity !== null;
  return {
    ...rest,
    band: rest.band,
    activity: rest.activity,
    previousHundredths: hasPast ? rest.previousHundredths : null,
    previousBand: hasPast ? rest.previousBand : null,
    previousActivity: rest.previousActivity,
    firstDate: firstDay === null ? null : isoDateFromDay(firstDay),
    declining: rest.declining === 1,
    lastContact: contactAt !== null && contactOutcome !== null ? { at: contactAt, outcome: contactOutcome, by: contactBy ?? "" } : null,
    snoozedUntil,
  };
}

