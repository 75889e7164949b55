import "server-only";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { AccountField, AccountPatch } from "@/lib/ingestion/account-fields";
import { newerFields, parseFieldTimes, serializeFieldTimes } from "@/lib/ingestion/field-times";
import type { OutcomeFields } from "@/lib/ingestion/outcome-fields";
import type { IngestResult } from "./writer";

/**
 * The decisions a batch write makes, shared by the SQLite writer (batch-write.ts, synchronous
 * prepared statements) and the PostgreSQL one (postgres-write.ts, bulk statements): each
 * writer only reads and writes, the rules live here once (docs/adr/0020-one-home-per-rule.md).
 */

export function emptyIngestResult(): IngestResult {
  return {
    accepted: 0,
    duplicates: 0,
    rejected: [],
    pending: 0,
    accountsCreated: 0,
    accountsUpdated: 0,
    outcomesCreated: 0,
    outcomesUpdated: 0,
    eventsStored: 0,
    eventTypesCreated: 0,
  };
}

export const ACCOUNT_COLUMN_OF: Record<Exclude<AccountField, "tags" | "name">, string> = {
  plan: "plan",
  industry: "industry",
  region: "region",
  accountManager: "account_manager",
  renewalDate: "renewal_date",
  arr: "arr",
  stage: "stage",
  signupDate: "signup_date",
  trialEndDate: "trial_end_date",
};

export type AccountColumnField = keyof typeof ACCOUNT_COLUMN_OF;

function isColumnField(field: string): field is AccountColumnField {
  return Object.prototype.hasOwnProperty.call(ACCOUNT_COLUMN_OF, field);
}

/** What an account message writes: nothing (a newer message set every field it names), or an upsert. */
export type AccountWrite =
  | { applies: false }
  | {
      applies: true;
      /** The column fields it sets, sorted (one statement shape per field set). */
      fields: AccountColumnField[];
      setsName: boolean;
      name: string;
      values: Partial<Record<AccountColumnField, unknown>>;
      fieldTimes: string;
      tags: readonly string[] | undefined;
    };

/** The fields of `patch` no newer message has set, for an account that exists (`storedFieldTimes`) or not (undefined). */
export function accountWrite(externalId: string, patch: AccountPatch, at: number, exists: boolean, storedFieldTimes: string | null | undefined): AccountWrite {
  const newer = newerFields(patch, at, parseFieldTimes(storedFieldTimes));
  if (exists && !newer.applies) return { applies: false };
  const { tags, name, ...rest } = newer.patch;
  const fields = (Object.keys(rest) as (keyof AccountPatch)[]).filter(isColumnField).sort();
  const values: Partial<Record<AccountColumnField, unknown>> = {};
  for (const f of fields) values[f] = rest[f] ?? null;
  return { applies: true, fields, setsName: name !== undefined, name: name ?? externalId, values, fieldTimes: serializeFieldTimes(newer.times), tags };
}

export type StoredOutcome = Columns<typeof schema.renewalOutcomes, "id" | "outcome" | "arrBefore" | "arrAfter">;

/** A new outcome's ARRs: left-out ones take the account's ARR "before" and 0 "after" a churn. */
export function newOutcomeArrs(fields: OutcomeFields, accountArr: number | null): { arrBefore: number | null; arrAfter: number | null } {
  return {
    arrBefore: fields.arrBefore !== undefined ? fields.arrBefore : accountArr,
    arrAfter: fields.arrAfter !== undefined ? fields.arrAfter : fields.outcome === "churned" ? 0 : null,
  };
}

/** A stored outcome said again: null when nothing changes (a duplicate), else its corrected ARRs (left-out ones kept). */
export function correctedOutcome(existing: StoredOutcome, fields: OutcomeFields): { arrBefore: number | null; arrAfter: number | null } | null {
  const arrBefore = fields.arrBefore !== undefined ? fields.arrBefore : existing.arrBefore;
  const arrAfter = fields.arrAfter !== undefined ? fields.arrAfter : fields.outcome === "churned" && existing.outcome !== "churned" ? 0 : existing.arrAfter;
  if (existing.outcome === fields.outcome && existing.arrBefore === arrBefore && existing.arrAfter === arrAfter) return null;
  return { arrBefore, arrAfter };
}
