import type { Band } from "./bands";
import { DEFAULT_DECLINE_RULE, type DeclineRule } from "./decline";
import type { Hundredths } from "./points";

/**
 * The engagement index of a group of accounts (PRODUCT.md: "the percentage engaged, the
 * percentage responsive to engagement, and the percentage not engaged"). Every account is in
 * exactly one of the three classes, from its band and its score movement:
 *
 * - engaged: the high or power-user band (score ≥ the high threshold, 80 by default): these
 *   accounts renew often whatever we do;
 * - responsive: the medium band (somewhat engaged, about half renew), or a lower band whose
 *   score is RISING: up by at least the decline rule's amounts (≥ 10 points and ≥ 20 % by
 *   default) over the comparison period, i.e. an account visibly answering nurture (a new
 *   account, without a previous score, is not rising);
 * - not engaged: low or churn risk and not rising.
 *
 * The three shares add up to 100 %. Defined here once; every view reads it from here.
 */
export const ENGAGEMENT_CLASSES = ["engaged", "responsive", "not_engaged"] as const;
export type EngagementClass = (typeof ENGAGEMENT_CLASSES)[number];

export const ENGAGEMENT_LABELS: Record<EngagementClass, string> = {
  engaged: "Engaged",
  responsive: "Responsive",
  not_engaged: "Not engaged",
};

export const ENGAGEMENT_DEFINITIONS: Record<EngagementClass, string> = {
  engaged: "in the high or power-user band",
  responsive: "in the medium band, or lower but rising",
  not_engaged: "low or churn risk and not rising",
};

/**
 * Rising: the mirror of declining. The score rose by at least `declinePoints` AND by at least
 * `declinePercent` % of the earlier score; from an earlier score at or below zero only the
 * points rule applies. Integer arithmetic on hundredths.
 */
export function isRising(current: Hundredths, previous: Hundredths, rule: DeclineRule = DEFAULT_DECLINE_RULE): boolean {
  const rise = current - previous;
  if (rise <= 0 || rise < rule.declinePoints * 100) return false;
  if (previous <= 0) return true;
  return rise * 100 >= rule.declinePercent * previous;
}

export function engagementClass(
  band: Band,
  current: Hundredths,
  /** The score on the comparison day; null for a new account (lib/scoring/standing.ts). */
  previous: Hundredths | null,
  rule: DeclineRule = DEFAULT_DECLINE_RULE,
): EngagementClass {
  if (band === "high" || band === "power") return "engaged";
  if (band === "medium") return "responsive";
  return previous !== null && isRising(current, previous, rule) ? "responsive" : "not_engaged";
}

export interface EngagementIndex {
  accounts: number;
  counts: Record<EngagementClass, number>;
  /** Shares of `accounts`, 0–1; all zero for an empty group. */
  shares: Record<EngagementClass, number>;
}

export function engagementIndex(counts: Record<EngagementClass, number>): EngagementIndex {
  const accounts = counts.engaged + counts.responsive + counts.not_engaged;
  const share = (n: number) => (accounts === 0 ? 0 : n / accounts);
  return {
    accounts,
    counts: { ...counts },
    shares: { engaged: share(counts.engaged), responsive: share(counts.responsive), not_engaged: share(counts.not_engaged) },
  };
}
