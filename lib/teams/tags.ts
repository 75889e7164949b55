import { z } from "zod";
import { safeIdentifier } from "../text-safety";
import { parseIsoDate } from "../days";
import { LIFECYCLE_STAGES } from "@/db/schema/accounts";
import { BANDS } from "../scoring/bands";

/** A tag as admins type it: trimmed, inner spaces collapsed, 1–64 characters. */
export const tagNameSchema = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, " "))
  .pipe(z.string().min(1, "is required").max(64, "must be at most 64 characters").pipe(safeIdentifier));

const isoDate = z.string().refine((v) => parseIsoDate(v) !== null, { message: "must be a date as YYYY-MM-DD" });
const optionalText = z.string().trim().min(1).max(200).optional();

/** Which accounts a bulk tag change applies to: those matching a filter, or a list of ids. */
export const accountFilterSchema = z
  .object({
    plan: optionalText,
    region: optionalText,
    industry: optionalText,
    accountManager: optionalText,
    stage: z.enum(LIFECYCLE_STAGES).optional(),
    band: z.enum(BANDS).optional(),
    signupFrom: isoDate.optional(),
    signupTo: isoDate.optional(),
  })
  .refine((f) => !f.signupFrom || !f.signupTo || f.signupFrom <= f.signupTo, {
    message: "must not be before the start date",
    path: ["signupTo"],
  });
export type AccountFilter = z.output<typeof accountFilterSchema>;

/** External ids pasted as a list: separated by commas, spaces, semicolons or new lines. */
export function splitExternalIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter((s) => s.length > 0))];
}

export const MAX_EXTERNAL_IDS = 50_000;

export const tagSelectionSchema = z.discriminatedUnion("by", [
  z.object({ by: z.literal("filter"), filter: accountFilterSchema }),
  z.object({
    by: z.literal("ids"),
    externalIds: z
      .array(z.string().trim().min(1).max(200))
      .min(1, "list at least one external id")
      .max(MAX_EXTERNAL_IDS, `list at most ${MAX_EXTERNAL_IDS.toLocaleString("en-US")} external ids`),
  }),
]);
export type TagSelection = z.output<typeof tagSelectionSchema>;

export const tagChangeSchema = z.object({
  action: z.enum(["add", "remove"]),
  tag: tagNameSchema,
  selection: tagSelectionSchema,
  /** Count only: nothing is written and nothing audited. */
  preview: z.boolean().default(false),
});
export type TagChange = z.output<typeof tagChangeSchema>;

export interface TagChangeResult {
  action: "add" | "remove";
  tag: string;
  preview: boolean;
  /** Accounts the selection matched. */
  matched: number;
  /** Accounts whose tags changed (or would change, in a preview). */
  changed: number;
  /** External ids that match no account (at most 20 listed) and how many there were. */
  unknownExternalIds: string[];
  unknownCount: number;
}

export interface TagSummary {
  tag: string;
  accounts: number;
}

export interface TagsOverview {
  tags: TagSummary[];
  totalAccounts: number;
  options: { plans: string[]; regions: string[]; industries: string[]; accountManagers: string[] };
}
