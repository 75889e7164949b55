import { bandFor, type BandThresholds } from "../scoring/bands";
import { isDeclining, type DeclineRule } from "../scoring/decline";
import { existedOn, type Activity } from "../scoring/standing";
import { matchesFilters, transitionFires, type AccountFacts } from "./match";
import type { RuleCore, RuleKind } from "./rules";

/**
 * "How many accounts would this rule have fired for in the last 30 days?" — answered from the
 * stored daily score history with today's configuration, before a rule is saved. Pure: the
 * server feeds it one account at a time (lib/alerts/server/preview.ts).
 */
export const PREVIEW_DAYS = 30;

export interface PreviewContext {
  today: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  compareDays: number;
  windowDays: number;
}

export interface PreviewAccount extends AccountFacts {
  accountId: number;
  /** Daily scores in hundredths; scores[i] is the score on day `firstDay + i`, the last one today's. */
  firstDay: number;
  scores: ArrayLike<number>;
  /** The account's first known day (account_scores.first_day, lib/scoring/standing.ts); null when unknown (established). */
  accountFirstDay: number | null;
  renewalDay: number | null;
  trialEndDay: number | null;
}

/** How many history days before the preview window the rule needs (the day before it, and the comparison days for declining). */
export function previewHistoryDays(kind: RuleKind, compareDays: number): number {
  return PREVIEW_DAYS + 1 + (kind === "declining" ? compareDays : 0);
}

function scoreOn(account: PreviewAccount, day: number): number | null {
  if (!existedOn(account.accountFirstDay, day)) return null;
  const i = day - account.firstDay;
  if (i < 0 || i >= account.scores.length) return null;
  return account.scores[i] ?? null;
}

/**
 * What a past day's score meant. The history keeps scores, not whether scored events arrived,
 * so a score of exactly 0 inside the account's first window is read as not active yet (a day
 * whose events cancelled out to 0 is the one case read wrongly); any other score as active.
 */
function activityOn(account: PreviewAccount, day: number, score: number, windowDays: number): Activity {
  return score === 0 && account.accountFirstDay !== null && day - account.accountFirstDay < windowDays ? "not_active_yet" : "active";
}

/** The days in the window on which the rule fires for this account (quiet periods applied). */
export function firingDays(rule: RuleCore, account: PreviewAccount, ctx: PreviewContext): number[] {
  if (!matchesFilters(rule.filters, account)) return [];
  const from = ctx.today - PREVIEW_DAYS + 1;
  const days: number[] = [];
  if (rule.kind === "band_drop" || rule.kind === "churn_risk" || rule.kind === "declining" || rule.kind === "power_user") {
    const quiet = rule.params.quietDays;
    let quietUntil = -Infinity;
    for (let day = from; day <= ctx.today; day++) {
      const before = scoreOn(account, day - 1);
      const after = scoreOn(account, day);
      if (before === null || after === null) continue;
      // Declining compares with compareDays earlier: a day whose comparison is unknown is skipped, not read as "not declining".
      const earlierBefore = scoreOn(account, day - 1 - ctx.compareDays);
      const earlierAfter = scoreOn(account, day - ctx.compareDays);
      if (rule.kind === "declining" && (earlierBefore === null || earlierAfter === null)) continue;
      // A day whose comparison day came before the account existed has no previous score: new, never declining.
      const fires = transitionFires(rule.kind, {
        oldBand: bandFor(before / 100, ctx.thresholds),
        newBand: bandFor(after / 100, ctx.thresholds),
        oldDeclining: earlierBefore !== null && isDeclining(before, earlierBefore, ctx.decline),
        newDeclining: earlierAfter !== null && isDeclining(after, earlierAfter, ctx.decline),
        oldActivity: activityOn(account, day - 1, before, ctx.windowDays),
        newActivity: activityOn(account, day, after, ctx.windowDays),
        isNew: !existedOn(account.accountFirstDay, day - ctx.compareDays),
      });
      if (fires && day >= quietUntil) {
        days.push(day);
        quietUntil = day + quiet;
      }
    }
    return days;
  }
  if (rule.kind === "renewal_window") {
    // The renewal entered the window on renewalDay − days; it fires if the account was 40–80 then.
    if (account.renewalDay === null) return [];
    const entered = account.renewalDay - rule.params.days;
    if (entered < from || entered > ctx.today) return [];
    const score = scoreOn(account, entered);
    return score !== null && bandFor(score / 100, ctx.thresholds) === "medium" ? [entered] : [];
  }
  if (rule.kind === "trial_ending") {
    // Once per trial: the first day in the window on which the trial ended within `days` with a low score.
    if (account.stage !== "trial" || account.trialEndDay === null) return [];
    for (let day = from; day <= ctx.today; day++) {
      const score = scoreOn(account, day);
      const left = account.trialEndDay - day;
      if (score !== null && left >= 0 && left <= rule.params.days && score < rule.params.belowScore * 100) return [day];
    }
  }
  return [];
}

export interface RulePreview {
  /** Accounts the rule would have fired for at least once. */
  accounts: number;
  /** Firings in total (an account may fire again after its quiet period). */
  firings: number;
  /** Firings per day, oldest first, PREVIEW_DAYS values. */
  perDay: number[];
  /** A few of the accounts, for the admin to recognise. */
  sampleAccountIds: number[];
  days: number;
}

export function emptyPreview(): RulePreview {
  return { accounts: 0, firings: 0, perDay: new Array<number>(PREVIEW_DAYS).fill(0), sampleAccountIds: [], days: PREVIEW_DAYS };
}

/** Adds one account's firings to a preview (call for every account, then read the preview). */
export function addToPreview(preview: RulePreview, account: PreviewAccount, fired: readonly number[], ctx: PreviewContext, samples = 5): void {
  if (fired.length === 0) return;
  preview.accounts++;
  preview.firings += fired.length;
  const from = ctx.today - PREVIEW_DAYS + 1;
  for (const day of fired) preview.perDay[day - from] = (preview.perDay[day - from] ?? 0) + 1;
  if (preview.sampleAccountIds.length < samples) preview.sampleAccountIds.push(account.accountId);
}
