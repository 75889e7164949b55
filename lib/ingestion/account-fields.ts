import { z } from "zod";
import { LIFECYCLE_STAGES, type LifecycleStage } from "@/db/schema/accounts";
import { DATE_RANGES, isoDateRangeProblem, type DayRange } from "../date-ranges";
import { dayFromMs, isoDateFromDay, parseIsoDate, todayDay } from "../days";
import { cleanLine, hasUnsafeCharacters, safeIdentifier, UNSAFE_IDENTIFIER_MESSAGE } from "../text-safety";
import { MAX_TAG_LENGTH, MAX_TAGS, MAX_TEXT_LENGTH } from "./limits";

/**
 * What an account update says about an account. A field that is absent leaves the stored
 * value alone; null (or an empty value in a CSV cell) clears it. Dates are YYYY-MM-DD.
 */
export interface AccountPatch {
  name?: string;
  plan?: string | null;
  industry?: string | null;
  region?: string | null;
  accountManager?: string | null;
  renewalDate?: string | null;
  arr?: number | null;
  stage?: LifecycleStage;
  signupDate?: string | null;
  trialEndDate?: string | null;
  /** Replaces the account's tags. */
  tags?: string[];
}

export type AccountField = keyof AccountPatch;

export const ACCOUNT_FIELDS: readonly AccountField[] = [
  "name",
  "plan",
  "industry",
  "region",
  "accountManager",
  "renewalDate",
  "arr",
  "stage",
  "signupDate",
  "trialEndDate",
  "tags",
];

/**
 * Spellings accepted for each field in Segment group traits and CSV headers, compared after
 * `normalizeFieldName` ("Account Manager", "account_manager" and "accountManager" all match).
 */
const FIELD_ALIASES: Record<AccountField, readonly string[]> = {
  name: ["name", "accountname", "companyname"],
  plan: ["plan", "planname"],
  industry: ["industry"],
  region: ["region"],
  accountManager: ["accountmanager", "csm", "customersuccessmanager"],
  renewalDate: ["renewaldate", "renewal", "renewson"],
  arr: ["arr", "annualrecurringrevenue"],
  stage: ["lifecyclestage", "stage", "lifecycle"],
  signupDate: ["signupdate", "signedup", "signedupat", "createdat"],
  trialEndDate: ["trialenddate", "trialend", "trialends", "trialendsat"],
  tags: ["tags", "tag"],
};

export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const FIELD_BY_ALIAS = new Map<string, AccountField>(
  ACCOUNT_FIELDS.flatMap((field) => FIELD_ALIASES[field].map((alias) => [alias, field] as const)),
);

/** The account field a trait name or CSV header means, or null when it means none. */
export function accountFieldFor(name: string): AccountField | null {
  return FIELD_BY_ALIAS.get(normalizeFieldName(name)) ?? null;
}

// ---- lenient values: Segment traits and CSV cells --------------------------------------

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

const lenientText = z.preprocess(
  blankToNull,
  z
    .union([z.string(), z.number()])
    .transform((v) => cleanLine(String(v)).trim())
    .pipe(z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`))
    .transform((v) => (v === "" ? null : v))
    .nullable(),
);

/** A calendar date from YYYY-MM-DD or from an ISO-8601 date-time (its UTC day). */
export function parseLenientDate(text: string): string | null {
  const trimmed = text.trim();
  if (parseIsoDate(trimmed) !== null) return trimmed;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? isoDateFromDay(dayFromMs(ms)) : null;
}

export const lenientDate = z.preprocess(
  blankToNull,
  z
    .string()
    .transform((v, ctx) => {
      const date = parseLenientDate(v);
      if (date === null) {
        ctx.addIssue({ code: "custom", message: "must be a date as YYYY-MM-DD" });
        return z.NEVER;
      }
      return date;
    })
    .nullable(),
);

/** A date within its documented range (lib/date-ranges.ts). */
function lenientDateIn(range: DayRange) {
  return lenientDate.superRefine((value, ctx) => {
    const problem = value === null ? null : isoDateRangeProblem(value, range, todayDay());
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export const MAX_ARR = 1e12;

export const lenientMoney = z.preprocess(
  blankToNull,
  z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const n = typeof v === "number" ? v : /^\$?\s*\d[\d,]*(\.\d+)?$/.test(v.trim()) ? Number(v.trim().replace(/[$,\s]/g, "")) : NaN;
      if (!Number.isFinite(n) || n < 0 || n > MAX_ARR) {
        ctx.addIssue({ code: "custom", message: "must be an amount of at least 0, like 12000 or 12,000.50" });
        return z.NEVER;
      }
      return n;
    })
    .nullable(),
);

const STAGE_ALIASES: Record<string, LifecycleStage> = {
  trial: "trial",
  trialing: "trial",
  freetrial: "trial",
  customer: "customer",
  paying: "customer",
  active: "customer",
  churned: "churned",
  churn: "churned",
  cancelled: "churned",
  canceled: "churned",
};

const lenientStage = z.string().transform((v, ctx) => {
  const stage = STAGE_ALIASES[normalizeFieldName(v)];
  if (!stage) {
    ctx.addIssue({ code: "custom", message: `must be one of ${LIFECYCLE_STAGES.join(", ")}` });
    return z.NEVER;
  }
  return stage;
});

function cleanTags(values: readonly string[], ctx: z.RefinementCtx): string[] {
  const tags = [...new Set(values.map((t) => t.trim()).filter((t) => t !== ""))];
  if (tags.length > MAX_TAGS) ctx.addIssue({ code: "custom", message: `may hold at most ${MAX_TAGS} tags` });
  if (tags.some((t) => t.length > MAX_TAG_LENGTH)) ctx.addIssue({ code: "custom", message: `each tag must be at most ${MAX_TAG_LENGTH} characters` });
  if (tags.some(hasUnsafeCharacters)) ctx.addIssue({ code: "custom", message: `each tag ${UNSAFE_IDENTIFIER_MESSAGE}` });
  return tags;
}

const lenientTags = z.preprocess(
  (v) => (v === null ? [] : v),
  z
    .union([z.array(z.union([z.string(), z.number()])), z.string()])
    .transform((v, ctx) => cleanTags(typeof v === "string" ? v.split(/[,;|]/) : v.map(String), ctx)),
);

const lenientName = z
  .union([z.string(), z.number()])
  .transform((v) => cleanLine(String(v)).trim())
  .pipe(z.string().min(1, "must not be empty").max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`));

const lenientAccountPatch = z.object({
  name: lenientName.optional(),
  plan: lenientText.optional(),
  industry: lenientText.optional(),
  region: lenientText.optional(),
  accountManager: lenientText.optional(),
  renewalDate: lenientDateIn(DATE_RANGES.renewal).optional(),
  arr: lenientMoney.optional(),
  stage: lenientStage.optional(),
  signupDate: lenientDateIn(DATE_RANGES.signup).optional(),
  trialEndDate: lenientDateIn(DATE_RANGES.trialEnd).optional(),
  tags: lenientTags.optional(),
});

export type PatchResult = { ok: true; patch: AccountPatch } | { ok: false; field: string; message: string };

/**
 * Reads an account update from loosely named values (Segment group traits, a CSV row):
 * known names in any spelling of FIELD_ALIASES, other names ignored. `fieldPrefix` names
 * the container in error messages ("traits."). A stage that is blank is left unchanged.
 */
export function parseAccountValues(values: Record<string, unknown>, fieldPrefix = ""): PatchResult {
  const canonical: Record<string, unknown> = {};
  const originalName = new Map<string, string>();
  for (const [name, value] of Object.entries(values)) {
    const field = accountFieldFor(name);
    if (!field || value === undefined || originalName.has(field)) continue;
    if (field === "stage" && (value === null || (typeof value === "string" && value.trim() === ""))) continue;
    if (field === "name" && (value === null || (typeof value === "string" && value.trim() === ""))) continue;
    canonical[field] = value;
    originalName.set(field, name);
  }
  const parsed = lenientAccountPatch.safeParse(canonical);
  if (parsed.success) return { ok: true, patch: stripUndefined(parsed.data) };
  const issue = parsed.error.issues[0];
  const field = typeof issue?.path[0] === "string" ? issue.path[0] : "";
  const name = originalName.get(field) ?? field;
  return { ok: false, field: `${fieldPrefix}${name}`, message: issue?.message ?? "is invalid" };
}

function stripUndefined(patch: Record<string, unknown>): AccountPatch {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return out as AccountPatch;
}

// ---- strict values: the native API ---------------------------------------------------

/** A YYYY-MM-DD date within its documented range (lib/date-ranges.ts). */
const isoDateIn = (range: DayRange) =>
  z
    .string()
    .refine((v) => parseIsoDate(v) !== null, "must be a date as YYYY-MM-DD")
    .superRefine((value, ctx) => {
      const problem = isoDateRangeProblem(value, range, todayDay());
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .meta({ format: "date", example: "2027-03-31" });

const line = (max: number) => z.string().transform(cleanLine).pipe(z.string().trim().max(max));
const nativeId = z.string().trim().min(1).max(MAX_TEXT_LENGTH).pipe(safeIdentifier);

const optionalText = (description: string) => line(MAX_TEXT_LENGTH).nullable().optional().meta({ description });

/** One account in POST /api/v1/accounts. */
export const nativeAccountSchema = z
  .strictObject({
    id: nativeId.meta({ description: "Your id for the account (Segment's groupId).", example: "acme-inc" }),
    name: line(MAX_TEXT_LENGTH).pipe(z.string().min(1)).optional().meta({ description: "Display name; a new account without one is named after its id." }),
    plan: optionalText("Plan or product."),
    industry: optionalText("Industry."),
    region: optionalText("Region."),
    accountManager: optionalText("Name of the account (customer-success) manager."),
    renewalDate: isoDateIn(DATE_RANGES.renewal).nullable().optional().meta({ description: "Next renewal date (from 2000-01-01 to ten years ahead)." }),
    arr: z.number().min(0).max(MAX_ARR).nullable().optional().meta({ description: "Annual recurring revenue, whole currency units." }),
    stage: z.enum(LIFECYCLE_STAGES).optional().meta({ description: "Lifecycle stage." }),
    signupDate: isoDateIn(DATE_RANGES.signup).nullable().optional().meta({ description: "When the account signed up (from 2000-01-01 to a year ahead)." }),
    trialEndDate: isoDateIn(DATE_RANGES.trialEnd).nullable().optional().meta({ description: "When the free trial ends (from 2000-01-01 to a year ahead)." }),
    tags: z.array(z.string().trim().min(1).max(MAX_TAG_LENGTH).pipe(safeIdentifier)).max(MAX_TAGS).optional().meta({ description: "Replaces the account's tags." }),
    userIds: z
      .array(nativeId)
      .max(1000)
      .optional()
      .meta({ description: "Product user ids that belong to this account (links them, like Segment's group call)." }),
  })
  .meta({ id: "Account" });

export type NativeAccount = z.infer<typeof nativeAccountSchema>;

/** The patch part of a native account. */
export function patchFromNativeAccount(account: NativeAccount): AccountPatch {
  const { id: _id, userIds: _userIds, tags, ...rest } = account;
  const patch = stripUndefined(rest);
  if (tags) patch.tags = [...new Set(tags)];
  return patch;
}
