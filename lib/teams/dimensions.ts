import { dayFromIsoDate, isoDateFromDay, parseIsoDate } from "../days";

/**
 * The ways teams can split accounts into segments. Every account falls in exactly one segment
 * of each dimension (accounts without a value in "Not set"), except tags: an account may
 * carry several tags, so tag segments can overlap and accounts without tags are "Untagged".
 */
export const DIMENSIONS = [
  "plan",
  "region",
  "industry",
  "account_manager",
  "stage",
  "signup_month",
  "signup_quarter",
  "tag",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, string> = {
  plan: "Plan",
  region: "Region",
  industry: "Industry",
  account_manager: "Account manager",
  stage: "Lifecycle stage",
  signup_month: "Signup month",
  signup_quarter: "Signup quarter",
  tag: "Tag",
};

export function isDimension(value: string): value is Dimension {
  return (DIMENSIONS as readonly string[]).includes(value);
}

/** The key of the segment of accounts without a value for the dimension. */
export const NOT_SET_KEY = "__none";

export const STAGE_LABELS: Record<string, string> = { trial: "Trial", customer: "Customer", churned: "Churned" };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "2026-03-14" → "2026-03"; null for a missing or malformed date. */
export function signupMonthKey(signupDate: string | null): string | null {
  if (!signupDate || parseIsoDate(signupDate) === null) return null;
  return signupDate.slice(0, 7);
}

/** "2026-03-14" → "2026-Q1". */
export function signupQuarterKey(signupDate: string | null): string | null {
  const month = signupMonthKey(signupDate);
  if (!month) return null;
  const m = Number(month.slice(5, 7));
  return `${month.slice(0, 4)}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** How a segment key reads for people, e.g. "2026-03" → "Mar 2026", "churned" → "Churned". */
export function segmentLabel(dimension: Dimension, key: string): string {
  if (key === NOT_SET_KEY) {
    if (dimension === "tag") return "Untagged";
    if (dimension === "signup_month" || dimension === "signup_quarter") return "Signup date unknown";
    return "Not set";
  }
  if (dimension === "stage") return STAGE_LABELS[key] ?? key;
  if (dimension === "signup_month") {
    const month = MONTHS[Number(key.slice(5, 7)) - 1];
    return month ? `${month} ${key.slice(0, 4)}` : key;
  }
  if (dimension === "signup_quarter") return `${key.slice(5)} ${key.slice(0, 4)}`;
  return key;
}

/** Cohorts read in time order; other segments by size. */
export function isChronological(dimension: Dimension): boolean {
  return dimension === "signup_month" || dimension === "signup_quarter";
}

/** The first day of a signup month key, for tests and labels. */
export function monthStartDay(monthKey: string): number {
  return dayFromIsoDate(`${monthKey}-01`);
}

export { isoDateFromDay };
