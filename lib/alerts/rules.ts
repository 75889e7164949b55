import { z } from "zod";
import { LIFECYCLE_STAGES } from "@/db/schema/accounts";
import { RENEWAL_WINDOW_DAYS } from "../accounts/lists/membership";

/**
 * The built-in alert rules (issue 17): one of each kind, switched on or off by an admin, with
 * its parameters, filters and where its alerts go. Transition rules fire when a score change
 * moves an account across a line; time-based rules are evaluated once a day.
 */
export const RULE_KINDS = ["band_drop", "churn_risk", "declining", "renewal_window", "trial_ending", "power_user"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const TRANSITION_KINDS = ["band_drop", "churn_risk", "declining", "power_user"] as const satisfies readonly RuleKind[];
export type TransitionKind = (typeof TRANSITION_KINDS)[number];
export const DAILY_KINDS = ["renewal_window", "trial_ending"] as const satisfies readonly RuleKind[];
export type DailyKind = (typeof DAILY_KINDS)[number];

export function isTransitionKind(kind: RuleKind): kind is TransitionKind {
  return (TRANSITION_KINDS as readonly RuleKind[]).includes(kind);
}

export function isRuleKind(value: string): value is RuleKind {
  return (RULE_KINDS as readonly string[]).includes(value);
}

export interface RuleInfo {
  kind: RuleKind;
  label: string;
  description: string;
  /** The playbook line a task gets unless the admin writes another. */
  defaultPlaybook: string;
  defaultDueDays: number;
}

export const RULE_INFO: Record<RuleKind, RuleInfo> = {
  band_drop: {
    kind: "band_drop",
    label: "Drops a band",
    description: "The score falls into a lower band, e.g. from 40–80 to 1–40. Not for new accounts: they have no earlier score to fall from.",
    defaultPlaybook: "Call within two days: find out what changed, using why the score moved.",
    defaultDueDays: 2,
  },
  churn_risk: {
    kind: "churn_risk",
    label: "Enters churn risk",
    description: "Negative signals come to outweigh usage (a score of 0 or below), or a new account stays silent past its first scoring window.",
    defaultPlaybook: "Intervene now: call the main contact today and agree a rescue plan.",
    defaultDueDays: 1,
  },
  declining: {
    kind: "declining",
    label: "Becomes declining",
    description: "The score falls by at least the declining rule's points and percentage against the comparison day.",
    defaultPlaybook: "Reach out this week: the moment the score declines is the moment to call.",
    defaultDueDays: 3,
  },
  renewal_window: {
    kind: "renewal_window",
    label: "Renewal coming up (40–80)",
    description: "A 40–80 account's renewal date enters the next days: call three months before the renewal.",
    defaultPlaybook: "Call three months before the renewal date and give extra attention.",
    defaultDueDays: 7,
  },
  trial_ending: {
    kind: "trial_ending",
    label: "Trial ends with a low score",
    description: "A trial ends within the next days while its score is below a threshold.",
    defaultPlaybook: "Help the trial to first value before it ends: offer a guided session.",
    defaultDueDays: 2,
  },
  power_user: {
    kind: "power_user",
    label: "Becomes a power user",
    description: "The score rises above the power-user line: time for upsell and advocacy.",
    defaultPlaybook: "Upsell and advocacy: ask for a case study and learn what they do right.",
    defaultDueDays: 7,
  },
};

const quietDays = z
  .number({ error: "must be a number" })
  .int("must be a whole number of days")
  .min(0, "must be 0 or more")
  .max(90, "must be at most 90 days");

/** Parameters per kind. quietDays: after firing for an account, stay quiet about it for that many days. */
export const ruleParamsSchemas = {
  band_drop: z.strictObject({ quietDays }),
  churn_risk: z.strictObject({ quietDays }),
  declining: z.strictObject({ quietDays }),
  power_user: z.strictObject({ quietDays }),
  renewal_window: z.strictObject({
    days: z.number({ error: "must be a number" }).int("must be a whole number of days").min(1, "must be at least 1 day").max(365, "must be at most 365 days"),
  }),
  trial_ending: z.strictObject({
    days: z.number({ error: "must be a number" }).int("must be a whole number of days").min(1, "must be at least 1 day").max(90, "must be at most 90 days"),
    belowScore: z.number({ error: "must be a number" }).min(-10_000, "is too low").max(10_000, "is too high"),
  }),
} as const;

export const DEFAULT_PARAMS: { [K in RuleKind]: z.infer<(typeof ruleParamsSchemas)[K]> } = {
  band_drop: { quietDays: 7 },
  churn_risk: { quietDays: 7 },
  declining: { quietDays: 14 },
  power_user: { quietDays: 30 },
  renewal_window: { days: RENEWAL_WINDOW_DAYS },
  trial_ending: { days: 7, belowScore: 40 },
};

const filterValues = z.array(z.string().trim().min(1, "must not be empty").max(200, "is too long")).max(200, "has too many values");

/** Which accounts a rule watches: every non-empty list must contain the account's value. */
export const ruleFiltersSchema = z.strictObject({
  plans: filterValues,
  regions: filterValues,
  industries: filterValues,
  stages: z.array(z.enum(LIFECYCLE_STAGES, { error: `must be one of ${LIFECYCLE_STAGES.join(", ")}` })).max(3),
  /** The account has at least one of these tags. */
  tags: filterValues,
  managers: filterValues,
});
export type RuleFilters = z.infer<typeof ruleFiltersSchema>;

export const NO_FILTERS: RuleFilters = { plans: [], regions: [], industries: [], stages: [], tags: [], managers: [] };

export const FILTER_DIMENSIONS = ["plans", "regions", "industries", "stages", "tags", "managers"] as const satisfies readonly (keyof RuleFilters)[];
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

export const FILTER_LABELS: Record<FilterDimension, string> = {
  plans: "Plan",
  regions: "Region",
  industries: "Industry",
  stages: "Lifecycle stage",
  tags: "Tag",
  managers: "Account manager",
};

const ruleBody = {
  enabled: z.boolean({ error: "must be true or false" }),
  filters: ruleFiltersSchema,
  createTask: z.boolean({ error: "must be true or false" }),
  taskDueDays: z.number({ error: "must be a number" }).int("must be a whole number of days").min(0, "must be 0 or more").max(90, "must be at most 90 days"),
  playbook: z.string().trim().min(1, "must not be empty").max(300, "must be at most 300 characters"),
  notifyInApp: z.boolean({ error: "must be true or false" }),
  emailImmediately: z.boolean({ error: "must be true or false" }),
  destinationIds: z.array(z.number().int().positive()).max(50, "has too many destinations"),
};

/**
 * A rule as stored and as the admin page edits it, discriminated by its kind (so `params`
 * narrows with `kind`). PUT /api/admin/alerts/rules/{kind} parses the body with the kind of the URL.
 */
export const anyRuleSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("band_drop"), params: ruleParamsSchemas.band_drop, ...ruleBody }),
  z.strictObject({ kind: z.literal("churn_risk"), params: ruleParamsSchemas.churn_risk, ...ruleBody }),
  z.strictObject({ kind: z.literal("declining"), params: ruleParamsSchemas.declining, ...ruleBody }),
  z.strictObject({ kind: z.literal("renewal_window"), params: ruleParamsSchemas.renewal_window, ...ruleBody }),
  z.strictObject({ kind: z.literal("trial_ending"), params: ruleParamsSchemas.trial_ending, ...ruleBody }),
  z.strictObject({ kind: z.literal("power_user"), params: ruleParamsSchemas.power_user, ...ruleBody }),
]);
export type AnyRule = z.infer<typeof anyRuleSchema>;
export type AlertRule<K extends RuleKind> = Extract<AnyRule, { kind: K }>;
export type RuleParams = { [K in RuleKind]: AlertRule<K>["params"] };
export type TransitionRule = Extract<AnyRule, { kind: TransitionKind }>;
export type DailyRule = Extract<AnyRule, { kind: DailyKind }>;

export function isTransitionRule(rule: AnyRule): rule is TransitionRule {
  return isTransitionKind(rule.kind);
}

/** What deciding whether a rule fires needs. */
export type RuleCore = { [K in RuleKind]: Pick<AlertRule<K>, "kind" | "params" | "filters"> }[RuleKind];

export function defaultRule(kind: RuleKind): AnyRule {
  return anyRuleSchema.parse({
    kind,
    enabled: false,
    params: DEFAULT_PARAMS[kind],
    filters: NO_FILTERS,
    createTask: true,
    taskDueDays: RULE_INFO[kind].defaultDueDays,
    playbook: RULE_INFO[kind].defaultPlaybook,
    notifyInApp: true,
    emailImmediately: false,
    destinationIds: [],
  });
}

/** Reads a stored JSON column; a value our own writes never produce is a corrupted row: it throws, naming it. */
function storedJson<T>(schema: z.ZodType<T>, json: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch {
    throw new Error(`${what} is not valid JSON: ${json.slice(0, 80)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${what} is invalid: ${parsed.error.issues[0]?.message ?? "unknown problem"}`);
  return parsed.data;
}

/** A stored rule from its columns; throws (naming the rule) on a row our own writes never produce. */
export function parseStoredRule(kind: RuleKind, columns: Omit<AnyRule, "kind" | "params" | "filters" | "destinationIds"> & { params: string; filters: string; destinationIds: string }): AnyRule {
  const what = `alert_rules row ${kind}`;
  const parsed = anyRuleSchema.safeParse({
    ...columns,
    kind,
    params: storedJson(z.unknown(), columns.params, `${what} (params)`),
    filters: storedJson(z.unknown(), columns.filters, `${what} (filters)`),
    destinationIds: storedJson(z.unknown(), columns.destinationIds, `${what} (destination_ids)`),
  });
  if (!parsed.success) throw new Error(`${what} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

export function parseStoredFilters(json: string, what = "alert_rules.filters"): RuleFilters {
  return storedJson(ruleFiltersSchema, json, what);
}

export function parseIdList(json: string, what = "alert_rules.destination_ids"): number[] {
  return storedJson(z.array(z.number().int()), json, what);
}

export function parseStringList(json: string, what: string): string[] {
  return storedJson(z.array(z.string()), json, what);
}
