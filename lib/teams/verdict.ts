import { formatAverage, formatInterval } from "../format";
import type { DifferenceInterval } from "../stats/intervals";

/**
 * Below this many accounts in either group the product makes no claim at all: a t interval
 * on a handful of skewed scores is not worth reading, whatever it says.
 */
export const MIN_GROUP_SIZE = 20;

export type VerdictKind = "higher" | "lower" | "no_clear_difference" | "too_small";

export interface Verdict {
  kind: VerdictKind;
  /** One plain sentence for people. */
  text: string;
}

export interface VerdictInput {
  beforeCount: number;
  afterCount: number;
  /** The interval of (after − before), in hundredths of a point. */
  interval: DifferenceInterval | null;
  /** How the two groups are called in the "too few" message. */
  groups?: [string, string];
  /** The finding in words, e.g. (“6.4”, “higher”) → “Mean score 6.4 points higher after …”. */
  effect?: (amount: string, direction: "higher" | "lower") => string;
  minGroupSize?: number;
}

function intervalText(interval: DifferenceInterval): string {
  return `${formatInterval(interval.lower, interval.upper)} points`;
}

/**
 * A verdict that claims a difference only when both groups are big enough AND the 95 %
 * interval of the difference excludes zero. It states a difference, never its cause.
 */
export function verdictFor(input: VerdictInput): Verdict {
  const min = input.minGroupSize ?? MIN_GROUP_SIZE;
  const [first, second] = input.groups ?? ["before", "after"];
  const { interval } = input;
  if (input.beforeCount < min || input.afterCount < min || !interval) {
    return {
      kind: "too_small",
      text: `Too few accounts to tell: ${input.beforeCount} ${first} and ${input.afterCount} ${second}; at least ${min} in each group are needed.`,
    };
  }
  if (interval.lower <= 0 && interval.upper >= 0) {
    return {
      kind: "no_clear_difference",
      text: `No clear difference: the 95 % interval of the change (${intervalText(interval)}) includes zero.`,
    };
  }
  const direction = interval.difference > 0 ? "higher" : "lower";
  const amount = formatAverage(Math.abs(Math.round(interval.difference)));
  const effect = input.effect ?? ((a, d) => `Mean score ${a} points ${d} after than before`);
  return { kind: direction, text: `${effect(amount, direction)} (95 % interval ${intervalText(interval)}).` };
}
