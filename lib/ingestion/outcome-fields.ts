import { z } from "zod";
import { EARLIEST_DATE, EARLIEST_DAY } from "../date-ranges";
import { dayFromMs, parseIsoDate } from "../days";
import { safeIdentifier } from "../text-safety";
import { RENEWAL_OUTCOMES, type RenewalOutcome } from "../accounts/renewal-outcomes";
import { lenientDate, lenientMoney, MAX_ARR, normalizeFieldName } from "./account-fields";
import { MAX_TEXT_LENGTH } from "./limits";

/**
 * Renewal outcomes as they arrive: from the native API (strict JSON), from Segment `group`
 * traits and CSV rows (loosely named, loosely typed values). All three end up as
 * OutcomeFields and pass the same consistency checks.
 */
export interface OutcomeFields {
  /** The renewal (contract end) date the outcome settles, YYYY-MM-DD. */
  renewalDate: string;
  outcome: RenewalOutcome;
  /** Absent: the stored value stays (for a new outcome: the account's ARR). Null: unknown. */
  arrBefore?: number | null;
  /** Absent: the stored value stays (for a new churn: 0). Null: unknown. */
  arrAfter?: number | null;
}

type OutcomeField = keyof OutcomeFields;

/** A renewal date may be at most this far ahead (an outcome agreed early, e.g. a cancellation notice). */
export const MAX_OUTCOME_DAYS_AHEAD = 366;

/**
 * Contradictions between the fields, named by field: a date too far ahead, ARR after a churn,
 * an "expansion" that shrank the contract or a "contraction" that grew it.
 */
export function outcomeProblem(fields: OutcomeFields, receivedAt: number): { field: OutcomeField; message: string } | null {
  const day = parseIsoDate(fields.renewalDate);
  if (day === null) return { field: "renewalDate", message: "must be a date as YYYY-MM-DD" };
  if (day < EARLIEST_DAY) return { field: "renewalDate", message: `must be on or after ${EARLIEST_DATE}` };
  if (day > dayFromMs(receivedAt) + MAX_OUTCOME_DAYS_AHEAD) return { field: "renewalDate", message: "must not be more than a year ahead" };
  const { outcome, arrBefore, arrAfter } = fields;
  if (outcome === "churned" && typeof arrAfter === "number" && arrAfter > 0) return { field: "arrAfter", message: "must be 0 (or left out) for a churn" };
  if (typeof arrBefore === "number" && typeof arrAfter === "number") {
    if (outcome === "expanded" && !(arrAfter > arrBefore)) return { field: "arrAfter", message: "must be above arrBefore for an expansion" };
    if (outcome === "contracted" && !(arrAfter < arrBefore)) return { field: "arrAfter", message: "must be below arrBefore for a contraction" };
  }
  return null;
}

// ---- lenient: Segment group traits and CSV cells -----------------------------------------

/** Outcome words people use, compared after normalizeFieldName. */
const OUTCOME_ALIASES: Record<string, RenewalOutcome> = {
  renewed: "renewed",
  renew: "renewed",
  renewal: "renewed",
  retained: "renewed",
  expanded: "expanded",
  expand: "expanded",
  expansion: "expanded",
  upsell: "expanded",
  upsold: "expanded",
  upgraded: "expanded",
  contracted: "contracted",
  contract: "contracted",
  contraction: "contracted",
  downsell: "contracted",
  downgraded: "contracted",
  churned: "churned",
  churn: "churned",
  cancelled: "churned",
  canceled: "churned",
  lost: "churned",
};

export const lenientOutcome = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const outcome = OUTCOME_ALIASES[normalizeFieldName(String(v))];
  if (!outcome) {
    ctx.addIssue({ code: "custom", message: `must be one of ${RENEWAL_OUTCOMES.join(", ")}` });
    return z.NEVER;
  }
  return outcome;
});

/**
 * Segment `group` trait names (any spelling: renewal_outcome, renewalOutcome, "Renewal
 * outcome") and the outcome field each one fills.
 */
const TRAIT_ALIASES: Record<OutcomeField, readonly string[]> = {
  outcome: ["renewaloutcome"],
  renewalDate: ["renewaloutcomedate", "outcomerenewaldate", "renewedrenewaldate"],
  arrBefore: ["renewalarrbefore", "arrbeforerenewal", "outcomearrbefore"],
  arrAfter: ["renewalarrafter", "arrafterrenewal", "outcomearrafter"],
};

const TRAIT_FIELD = new Map<string, OutcomeField>(
  (Object.keys(TRAIT_ALIASES) as OutcomeField[]).flatMap((field) => TRAIT_ALIASES[field].map((alias) => [alias, field] as const)),
);

/** Whether a trait name belongs to the renewal outcome (and is not an account field). */
export function isOutcomeTrait(name: string): boolean {
  return TRAIT_FIELD.has(normalizeFieldName(name));
}

const lenientArr = lenientMoney.optional();

export type OutcomeValuesResult = { ok: true; fields: OutcomeFields | null } | { ok: false; field: string; message: string };

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * An outcome from loosely typed values (trait values, CSV cells), by outcome field; `nameOf`
 * names a field in messages the way the sender spelled it. A blank outcome means there is
 * none (fields: null), unless other outcome values are there without it.
 */
export function parseLenientOutcome(values: Partial<Record<OutcomeField, unknown>>, nameOf: (field: OutcomeField) => string): OutcomeValuesResult {
  if (isBlank(values.outcome)) {
    const stray = (["renewalDate", "arrBefore", "arrAfter"] as const).find((f) => !isBlank(values[f]));
    return stray ? { ok: false, field: nameOf("outcome"), message: `is required when ${nameOf(stray)} is given` } : { ok: true, fields: null };
  }
  const outcome = lenientOutcome.safeParse(values.outcome);
  if (!outcome.success) return { ok: false, field: nameOf("outcome"), message: outcome.error.issues[0]?.message ?? "is invalid" };
  if (isBlank(values.renewalDate)) return { ok: false, field: nameOf("renewalDate"), message: "is required with a renewal outcome" };
  const renewalDate = lenientDate.safeParse(values.renewalDate);
  if (!renewalDate.success || renewalDate.data === null) return { ok: false, field: nameOf("renewalDate"), message: "must be a date as YYYY-MM-DD" };
  const fields: OutcomeFields = { outcome: outcome.data, renewalDate: renewalDate.data };
  for (const field of ["arrBefore", "arrAfter"] as const) {
    if (values[field] === undefined) continue;
    const parsed = lenientArr.safeParse(values[field]);
    if (!parsed.success) return { ok: false, field: nameOf(field), message: parsed.error.issues[0]?.message ?? "is invalid" };
    if (parsed.data !== undefined) fields[field] = parsed.data;
  }
  return { ok: true, fields };
}

/** The documented trait names (README, "Send data"). */
export const OUTCOME_TRAIT_NAMES: Record<OutcomeField, string> = {
  outcome: "renewal_outcome",
  renewalDate: "renewal_outcome_date",
  arrBefore: "renewal_arr_before",
  arrAfter: "renewal_arr_after",
};

/**
 * The renewal outcome in Segment `group` traits, if any: `renewal_outcome` with
 * `renewal_outcome_date` (the renewal it settles) and optionally `renewal_arr_before` /
 * `renewal_arr_after`. Without a `renewal_outcome` trait there is none (fields: null).
 */
export function parseOutcomeTraits(traits: Record<string, unknown>, fieldPrefix = "traits."): OutcomeValuesResult {
  const values: Partial<Record<OutcomeField, unknown>> = {};
  const originalName = new Map<OutcomeField, string>();
  for (const [name, value] of Object.entries(traits)) {
    const field = TRAIT_FIELD.get(normalizeFieldName(name));
    if (!field || value === undefined || originalName.has(field)) continue;
    values[field] = value;
    originalName.set(field, name);
  }
  return parseLenientOutcome(values, (field) => `${fieldPrefix}${originalName.get(field) ?? OUTCOME_TRAIT_NAMES[field]}`);
}

// ---- strict: the native API ------------------------------------------------------------

const isoDate = z
  .string()
  .refine((v) => parseIsoDate(v) !== null, "must be a date as YYYY-MM-DD")
  .meta({ format: "date", example: "2026-03-31" });

const arr = (description: string) => z.number().min(0).max(MAX_ARR).nullable().optional().meta({ description });

/** One outcome in POST /api/v1/outcomes. */
export const nativeOutcomeSchema = z
  .strictObject({
    accountId: z
      .string()
      .trim()
      .min(1)
      .max(MAX_TEXT_LENGTH)
      .pipe(safeIdentifier)
      .meta({ description: "Your id of the account (Segment's groupId). The account must exist.", example: "acme-inc" }),
    renewalDate: isoDate.meta({ description: "The renewal (contract end) date this outcome settles. With accountId, the outcome's identity: sending it again is stored once." }),
    outcome: z.enum(RENEWAL_OUTCOMES).meta({ description: "renewed, expanded (renewed with more ARR), contracted (renewed with less) or churned." }),
    arrBefore: arr("ARR before the renewal, whole currency units. Left out: the account's ARR when the outcome is first recorded."),
    arrAfter: arr("ARR after the renewal. Left out: 0 for a churn, unknown otherwise."),
  })
  .meta({ id: "Outcome" });

export type NativeOutcome = z.infer<typeof nativeOutcomeSchema>;

export function fieldsFromNativeOutcome(outcome: NativeOutcome): OutcomeFields {
  const fields: OutcomeFields = { renewalDate: outcome.renewalDate, outcome: outcome.outcome };
  if (outcome.arrBefore !== undefined) fields.arrBefore = outcome.arrBefore;
  if (outcome.arrAfter !== undefined) fields.arrAfter = outcome.arrAfter;
  return fields;
}
