import type { Hundredths } from "./points";

export interface DeclineRule {
  /** Minimum fall, in percent of the earlier score. */
  declinePercent: number;
  /** Minimum fall, in points. */
  declinePoints: number;
}

export const DEFAULT_DECLINE_RULE: DeclineRule = { declinePercent: 20, declinePoints: 10 };

/**
 * Declining: the score fell by at least `declinePoints` AND by at least `declinePercent` % of
 * the earlier score. A percentage of a score at or below zero means nothing, so from there
 * only the points rule applies. Integer arithmetic on hundredths: no rounding at the edge.
 */
export function isDeclining(current: Hundredths, previous: Hundredths, rule: DeclineRule = DEFAULT_DECLINE_RULE): boolean {
  const drop = previous - current;
  if (drop <= 0 || drop < rule.declinePoints * 100) return false;
  if (previous <= 0) return true;
  return drop * 100 >= rule.declinePercent * previous;
}
