import type { LifecycleStage } from "@/db/schema";
import { isoDateFromDay, type DayNumber } from "@/lib/days";
import { TIER_BANDS, type Band } from "@/lib/scoring/bands";
import { CHURNED_STAGE, type Activity } from "@/lib/scoring/standing";
import type { CallListId } from "./lists";
import type { CallListCounts } from "./types";

/**
 * Which accounts are on which list: the one statement of the rule. The server turns each
 * rule into SQL (lib/accounts/server/lists/conditions.ts) for the lists and for their counts;
 * `isOnList` reads the same rule for one account, and a test holds the two to each other.
 */

/** Renewals within this many days come first on the 40–80 list ("call three months before"). */
export const RENEWAL_WINDOW_DAYS = 90;

/** What an account must be to be on a list; every stated part must hold. */
export interface ListRule {
  /** Its band is one of these. */
  bands?: readonly Band[];
  /** Its activity is one of these. */
  activities?: readonly Activity[];
  /** Its score is declining. */
  declining?: true;
  /** Its lifecycle stage. */
  stage?: LifecycleStage;
  /** Its renewal date is inside the renewal window (today to today + RENEWAL_WINDOW_DAYS). */
  renewsSoon?: true;
}

/** Accounts not active yet are onboarding work (lib/scoring/standing.ts), on no tier list. */
const SCORED: readonly Activity[] = ["active", "silent"];

export const LIST_RULES: Record<CallListId, ListRule> = {
  high: { bands: TIER_BANDS.high, activities: SCORED },
  medium: { bands: TIER_BANDS.medium, activities: SCORED },
  low: { bands: TIER_BANDS.low, activities: SCORED },
  drops: { declining: true },
  trials: { stage: "trial" },
  onboarding: { activities: ["not_active_yet"] },
  upsell: { bands: TIER_BANDS.high, activities: SCORED, stage: "customer" },
};

/** A list's rule; the 40–80 list can be narrowed to the renewals inside the window. */
export function listRule(list: CallListId, renewalsOnly: boolean): ListRule {
  const rule = LIST_RULES[list];
  return list === "medium" && renewalsOnly ? { ...rule, renewsSoon: true } : rule;
}

/** What each figure of the list counts counts: a list, or part of one (power users, the silent churn risk…). */
export const COUNTED: Record<Exclude<keyof CallListCounts, "total" | "snoozed">, ListRule> = {
  high: LIST_RULES.high,
  power: { ...LIST_RULES.high, bands: ["power"] },
  medium: LIST_RULES.medium,
  mediumRenewals: listRule("medium", true),
  low: LIST_RULES.low,
  churnRisk: { ...LIST_RULES.low, bands: ["churn_risk"] },
  silent: { ...LIST_RULES.low, bands: ["churn_risk"], activities: ["silent"] },
  drops: LIST_RULES.drops,
  trials: LIST_RULES.trials,
  onboarding: LIST_RULES.onboarding,
  upsell: LIST_RULES.upsell,
};

/**
 * Churned accounts are no longer customers: no list works them unless the stage filter asks
 * for them (their silence is not churn risk to intervene on). The stage left out, if any.
 */
export function stageLeftOut(stageFilter: LifecycleStage | null): LifecycleStage | null {
  return stageFilter === null ? CHURNED_STAGE : null;
}

/** The renewal window as ISO dates, today and the last day of the window, inclusive. */
export function renewalWindow(today: DayNumber): { from: string; to: string } {
  return { from: isoDateFromDay(today), to: isoDateFromDay(today + RENEWAL_WINDOW_DAYS) };
}

/** Whether a renewal date (ISO) falls inside the renewal window that starts today. */
export function renewsWithinWindow(renewalDate: string | null, today: DayNumber): boolean {
  if (renewalDate === null) return false;
  const { from, to } = renewalWindow(today);
  return renewalDate >= from && renewalDate <= to;
}

/** What the rules read of an account. */
export interface ListCandidate {
  band: Band;
  activity: Activity;
  declining: boolean;
  stage: LifecycleStage;
  renewalDate: string | null;
}

export function meetsRule(rule: ListRule, account: ListCandidate, today: DayNumber): boolean {
  if (rule.bands && !rule.bands.includes(account.band)) return false;
  if (rule.activities && !rule.activities.includes(account.activity)) return false;
  if (rule.declining && !account.declining) return false;
  if (rule.stage !== undefined && account.stage !== rule.stage) return false;
  if (rule.renewsSoon && !renewsWithinWindow(account.renewalDate, today)) return false;
  return true;
}

export interface MembershipOptions {
  today: DayNumber;
  renewalsOnly: boolean;
  /** The stage filter; null (none) leaves churned accounts out. */
  stageFilter: LifecycleStage | null;
}

/** Whether an account is on a list (before the user's other filters and snoozes). */
export function isOnList(list: CallListId, account: ListCandidate, options: MembershipOptions): boolean {
  if (options.stageFilter !== null && account.stage !== options.stageFilter) return false;
  if (account.stage === stageLeftOut(options.stageFilter)) return false;
  return meetsRule(listRule(list, options.renewalsOnly), account, options.today);
}
