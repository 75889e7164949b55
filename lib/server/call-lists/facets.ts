import "server-only";
import type { Database } from "@/db";
import type { CallListFacets } from "../../call-lists/types";
import { isoDateFromDay } from "../../days";
import { memoUntilWrite } from "../query-cache";

/** The values the list filters offer, from the accounts on file. */
export function getCallListFacets(db: Database): CallListFacets {
  return memoUntilWrite(db, "facets", () => computeFacets(db));
}

function computeFacets(db: Database): CallListFacets {
  const distinct = (column: "account_manager" | "plan" | "region" | "industry") =>
    db.sqlite.prepare(`SELECT DISTINCT ${column} FROM accounts WHERE ${column} IS NOT NULL ORDER BY ${column} COLLATE NOCASE`).pluck().all() as string[];
  return { managers: distinct("account_manager"), plans: distinct("plan"), regions: distinct("region"), industries: distinct("industry") };
}

/** The day the stored scores are as of (ISO), or null when no account has a score yet. */
export function getScoresAsOf(db: Database): string | null {
  const day = db.sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null;
  return day === null ? null : isoDateFromDay(day);
}
