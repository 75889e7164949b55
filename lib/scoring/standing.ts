import type { DayNumber } from "../days";
import { BAND_INFO, bandFor, type Band, type BandThresholds } from "./bands";
import { isDeclining, type DeclineRule } from "./decline";
import type { Hundredths } from "./points";

/**
 * What a score means beyond its band (issue 13). Computed here once, when scores are written
 * (lib/scoring/server/recompute.ts, score-sync.ts), stored beside them and read by every view and
 * export; nothing else decides these questions.
 *
 * - **New**: an account that did not exist on the comparison day (`compareDays` before the
 *   scores' day) has no previous score. It is not "from churn risk", not declining, not rising.
 * - **Activity** in the scoring window, from the events that count toward the score (an
 *   active event type with a non-zero weight):
 *   - `active`: at least one such event;
 *   - `not_active_yet`: none, and the account is still inside its first scoring window (its
 *     first day lies inside the window): onboarding work, not churn risk work;
 *   - `silent`: none, and the account is established: a silent account stays churn risk.
 *   A score at or below the churn-risk maximum with activity is "negative signals outweigh
 *   usage".
 *
 * An account's first day is the earliest thing known about it: its signup date, the day it
 * was first recorded, or its first event (events prove it existed), never after the scores'
 * day. An unknown first day (scores written before this rule existed) counts as established.
 */
export const ACTIVITIES = ["active", "silent", "not_active_yet"] as const;

/**
 * An account whose lifecycle stage is churned is no longer a customer: its silence is not a
 * churn risk to intervene on. The call lists and the overview's band counts leave it out
 * (lib/accounts/lists/membership.ts, overview.ts); the stage filter shows it on request.
 */
export const CHURNED_STAGE = "churned";
export type Activity = (typeof ACTIVITIES)[number];

export function isActivity(value: string): value is Activity {
  return (ACTIVITIES as readonly string[]).includes(value);
}

/** The first day an account is known to exist: the earliest of the days given (nulls ignored), at most `asOfDay`. */
export function firstKnownDay(asOfDay: DayNumber, ...days: (DayNumber | null | undefined)[]): DayNumber {
  let first = asOfDay;
  for (const day of days) if (day !== null && day !== undefined && Number.isFinite(day) && day < first) first = day;
  return first;
}

/** Whether an account that first existed on `firstDay` existed on `day` (an unknown first day: yes). */
export function existedOn(firstDay: DayNumber | null, day: DayNumber): boolean {
  return firstDay === null || firstDay <= day;
}

/**
 * The activity of an account in the window ending on `day`. Inside its first window means the
 * window reaches back to (or before) the account's first day: its age on `day` (0 on the first
 * day) is below `windowDays`.
 */
export function activityOn(params: { firstDay: DayNumber | null; day: DayNumber; windowDays: number; scoredEvents: boolean }): Activity {
  if (params.scoredEvents) return "active";
  if (params.firstDay !== null && params.day - params.firstDay < params.windowDays) return "not_active_yet";
  return "silent";
}

/** An account's stored score as every view shows it (account_scores): the list rows and the account page. */
export interface ScoreStandingView {
  scoreHundredths: number;
  band: Band;
  /** Scored events in the window: active, silent or not active yet. */
  activity: Activity;
  /** The score, band and activity on the comparison day; all null for a new account (it did not exist then). */
  previousHundredths: number | null;
  previousBand: Band | null;
  previousActivity: Activity | null;
  /** The account's first known day (ISO), or null when not known yet (also while it is computed again). */
  firstDate: string | null;
  declining: boolean;
}

export interface StandingInput {
  /** The scores' day. */
  asOfDay: DayNumber;
  /** The account's first day (firstKnownDay), or null when unknown. */
  firstDay: DayNumber | null;
  windowDays: number;
  compareDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  currentHundredths: Hundredths;
  /** The score over the window ending `compareDays` earlier (0 when the account did not exist). */
  previousHundredths: Hundredths;
  /** Whether any event that counts toward the score fell in the current window … */
  currentScoredEvents: boolean;
  /** … and in the comparison window. */
  previousScoredEvents: boolean;
}

export interface PreviousStanding {
  hundredths: Hundredths;
  band: Band;
  activity: Activity;
}

export interface Standing {
  band: Band;
  activity: Activity;
  /** The score on the comparison day, or null when the account did not exist then (it is new). */
  previous: PreviousStanding | null;
  /** Fell by the decline rule's amounts against the comparison day; never for a new account. */
  declining: boolean;
}

export function accountStanding(input: StandingInput): Standing {
  const { asOfDay, firstDay, windowDays, thresholds } = input;
  const compareDay = asOfDay - input.compareDays;
  const previous: PreviousStanding | null = existedOn(firstDay, compareDay)
    ? {
        hundredths: input.previousHundredths,
        band: bandFor(input.previousHundredths / 100, thresholds),
        activity: activityOn({ firstDay, day: compareDay, windowDays, scoredEvents: input.previousScoredEvents }),
      }
    : null;
  return {
    band: bandFor(input.currentHundredths / 100, thresholds),
    activity: activityOn({ firstDay, day: asOfDay, windowDays, scoredEvents: input.currentScoredEvents }),
    previous,
    declining: previous !== null && isDeclining(input.currentHundredths, previous.hundredths, input.decline),
  };
}

/**
 * Where an account is worked: the band of its score, except that an account not active yet
 * is onboarding work whatever its (zero) score, outside the bands' counts and the tier lists.
 */
export type ScoreGroup = Band | "not_active_yet";

export function scoreGroup(band: Band, activity: Activity): ScoreGroup {
  return activity === "not_active_yet" ? "not_active_yet" : band;
}

export const NOT_ACTIVE_YET_LABEL = "Not active yet";

export function scoreGroupLabel(group: ScoreGroup): string {
  return group === "not_active_yet" ? NOT_ACTIVE_YET_LABEL : BAND_INFO[group].label;
}

/**
 * Why an account at churn risk is there: silent, or negative signals outweigh its usage. An
 * account that already churned (lifecycle stage) is at no risk of it: null.
 */
export type ChurnReason = "silent" | "negative";

export function churnReason(band: Band, activity: Activity, stage: string): ChurnReason | null {
  if (band !== "churn_risk" || activity === "not_active_yet" || stage === CHURNED_STAGE) return null;
  return activity === "silent" ? "silent" : "negative";
}

export const CHURN_REASON_LABELS: Record<ChurnReason, string> = {
  silent: "Silent",
  negative: "Negative signals",
};

/**
 * The one-sentence reading of an account's standing, for the account page and the lists:
 * which of the band's meanings applies, and what to do.
 */
export function standingExplanation(band: Band, activity: Activity, stage: string, windowDays: number): string {
  if (stage === CHURNED_STAGE) {
    return `Churned: no longer a customer. The score shows its usage in the last ${windowDays} days; it is on no call list.`;
  }
  if (activity === "not_active_yet") {
    return `Not active yet: the account is inside its first ${windowDays} days and no event that counts toward the score has arrived. Onboarding: help it get started.`;
  }
  const reason = churnReason(band, activity, stage);
  if (reason === "silent") {
    return `Silent: no event that counts toward the score in the last ${windowDays} days. Churn risk: intervene now.`;
  }
  if (reason === "negative") {
    return "Negative signals outweigh usage: churn risk, intervene now.";
  }
  return BAND_INFO[band].playbook;
}

/**
 * How an account moved between the comparison day and now, in words: "new" when it did not
 * exist then, "medium → low" when its group changed, "" otherwise.
 */
export interface StandingMove {
  direction: "new" | "up" | "down" | "same";
  label: string;
}

// Not active yet sits between churn risk and low: from there, negative signals are a fall and any usage a rise.
const GROUP_ORDER: readonly ScoreGroup[] = ["churn_risk", "not_active_yet", "low", "medium", "high", "power"];

export function standingMove(current: { band: Band; activity: Activity }, previous: { band: Band; activity: Activity } | null): StandingMove {
  if (previous === null) return { direction: "new", label: "new" };
  const from = scoreGroup(previous.band, previous.activity);
  const to = scoreGroup(current.band, current.activity);
  if (from === to) return { direction: "same", label: "" };
  const diff = GROUP_ORDER.indexOf(to) - GROUP_ORDER.indexOf(from);
  return { direction: diff < 0 ? "down" : "up", label: `${scoreGroupLabel(from).toLowerCase()} → ${scoreGroupLabel(to).toLowerCase()}` };
}
