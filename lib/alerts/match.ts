import type { Band } from "../scoring/bands";
import { CHURNED_STAGE, scoreGroup, standingMove, type Activity } from "../scoring/standing";
import type { RuleFilters, TransitionKind } from "./rules";
import { MS_PER_DAY } from "../days";

/**
 * Whether a score change fires a rule: pure, so the evaluator, the preview and the tests share
 * one definition (issue 17: once per transition, never for a configuration change).
 */
export interface Transition {
  id: number;
  accountId: number;
  oldBand: Band;
  newBand: Band;
  oldDeclining: boolean;
  newDeclining: boolean;
  oldActivity: Activity;
  newActivity: Activity;
  /** The account did not exist on the comparison day (previous_activity NULL): it has no previous score. */
  isNew: boolean;
  oldScoreHundredths: number;
  newScoreHundredths: number;
  oldConfigVersion: number;
  newConfigVersion: number;
  /** ms since the epoch. */
  at: number;
}

/**
 * A change written with another configuration version than the one it replaced was made by an
 * admin's new weights or settings (the recompute), not by the account's events or the passing
 * days: it is summarised once, never alerted account by account.
 */
export function isConfigurationChange(t: Pick<Transition, "oldConfigVersion" | "newConfigVersion">): boolean {
  return t.oldConfigVersion !== t.newConfigVersion;
}

export interface StateChange {
  oldBand: Band;
  newBand: Band;
  oldDeclining: boolean;
  newDeclining: boolean;
  oldActivity: Activity;
  newActivity: Activity;
  /** The account is new: it did not exist on the comparison day, so it has no previous score. */
  isNew: boolean;
}

/**
 * Whether a change crosses the line a transition rule watches, read as lib/scoring/standing.ts
 * reads a score: an account not active yet is onboarding work, in no band (it sits between
 * churn risk and low), and a new account has no previous score.
 * - drops a band: the account was in a band (not "not active yet") and moved to a lower band,
 *   and it is not new — a new account is not "from" anything, as the lists show it ("new");
 *   an account not active yet that turns silent or negative enters churn risk instead;
 * - enters churn risk: from any other group, "not active yet" included (its first window ended
 *   in silence, or negative signals outweigh its usage), new accounts included;
 * - becomes declining: the flag (never set for a new account);
 * - becomes a power user: from any other group.
 */
export function transitionFires(kind: TransitionKind, t: StateChange): boolean {
  const from = scoreGroup(t.oldBand, t.oldActivity);
  const to = scoreGroup(t.newBand, t.newActivity);
  switch (kind) {
    case "band_drop":
      return (
        !t.isNew &&
        from !== "not_active_yet" &&
        to !== "not_active_yet" &&
        standingMove({ band: t.newBand, activity: t.newActivity }, { band: t.oldBand, activity: t.oldActivity }).direction === "down"
      );
    case "churn_risk":
      return to === "churn_risk" && from !== "churn_risk";
    case "declining":
      return t.newDeclining && !t.oldDeclining;
    case "power_user":
      return to === "power" && from !== "power";
  }
}

/**
 * Of transitions in id order, the ones a rule of `kinds` (the enabled ones) fires on (at most `batch`), and how many
 * of the transitions are handled with them: all, or those before the first one over the batch.
 * A configuration change recorded as a transition fires nothing (it is summarised instead).
 */
export function transitionsToFire(transitions: readonly Transition[], kinds: readonly TransitionKind[], batch: number): { firing: Transition[]; handled: number } {
  const firing: Transition[] = [];
  for (const [index, t] of transitions.entries()) {
    if (isConfigurationChange(t) || !kinds.some((kind) => transitionFires(kind, t))) continue;
    if (firing.length === batch) return { firing, handled: index };
    firing.push(t);
  }
  return { firing, handled: transitions.length };
}

/** Whether a change moved the account to a lower (-1), higher (1) or the same (0) group, as standingMove reads it. */
export function groupMove(t: Pick<StateChange, "oldBand" | "newBand" | "oldActivity" | "newActivity">): -1 | 0 | 1 {
  const direction = standingMove({ band: t.newBand, activity: t.newActivity }, { band: t.oldBand, activity: t.oldActivity }).direction;
  return direction === "down" ? -1 : direction === "up" ? 1 : 0;
}

/** The attributes rule filters look at. */
export interface AccountFacts {
  plan: string | null;
  region: string | null;
  industry: string | null;
  stage: string;
  manager: string | null;
  tags: readonly string[];
}

function allows(values: readonly string[], value: string | null): boolean {
  return values.length === 0 || (value !== null && values.includes(value));
}

/**
 * Every non-empty filter list must hold the account's value (tags: any of the account's tags).
 * A churned account is no longer a customer (lib/scoring/standing.ts): it is on no call list,
 * and no rule fires for it unless the rule's stage filter names the churned stage.
 */
export function matchesFilters(filters: RuleFilters, account: AccountFacts): boolean {
  if (account.stage === CHURNED_STAGE && !filters.stages.includes(CHURNED_STAGE)) return false;
  return (
    allows(filters.plans, account.plan) &&
    allows(filters.regions, account.region) &&
    allows(filters.industries, account.industry) &&
    allows(filters.stages, account.stage) &&
    allows(filters.managers, account.manager) &&
    (filters.tags.length === 0 || account.tags.some((tag) => filters.tags.includes(tag)))
  );
}

/** Whether a rule that last fired for the account at `lastFiredAt` must stay quiet at `now`. */
export function inQuietPeriod(lastFiredAt: number | null, now: number, quietDays: number): boolean {
  return lastFiredAt !== null && quietDays > 0 && now - lastFiredAt < quietDays * MS_PER_DAY;
}

export interface ConfigurationChangeSummary {
  configVersion: number;
  /** Accounts whose band or declining flag the new configuration changed. */
  accounts: number;
  lowerBand: number;
  higherBand: number;
  becameDeclining: number;
  stoppedDeclining: number;
}

/** The counts of one version's writes (score_configuration_changes rows) added up: one summary per version, in version order. */
export function sumByVersion(rows: readonly ConfigurationChangeSummary[]): ConfigurationChangeSummary[] {
  const byVersion = new Map<number, ConfigurationChangeSummary>();
  for (const r of rows) {
    const s = byVersion.get(r.configVersion);
    byVersion.set(
      r.configVersion,
      s
        ? {
            configVersion: r.configVersion,
            accounts: s.accounts + r.accounts,
            lowerBand: s.lowerBand + r.lowerBand,
            higherBand: s.higherBand + r.higherBand,
            becameDeclining: s.becameDeclining + r.becameDeclining,
            stoppedDeclining: s.stoppedDeclining + r.stoppedDeclining,
          }
        : { configVersion: r.configVersion, accounts: r.accounts, lowerBand: r.lowerBand, higherBand: r.higherBand, becameDeclining: r.becameDeclining, stoppedDeclining: r.stoppedDeclining },
    );
  }
  return [...byVersion.values()].sort((a, b) => a.configVersion - b.configVersion);
}

function accountsText(n: number): string {
  return n === 1 ? "1 account" : `${n.toLocaleString("en-US")} accounts`;
}

/** "New scoring rules (version 5) moved 42 accounts to a lower band and 3 to a higher one; …" */
export function configurationChangeText(s: ConfigurationChangeSummary): { title: string; summary: string } {
  const moved =
    s.lowerBand > 0 && s.higherBand > 0
      ? `moved ${accountsText(s.lowerBand)} to a lower band and ${s.higherBand.toLocaleString("en-US")} to a higher one`
      : s.lowerBand > 0
        ? `moved ${accountsText(s.lowerBand)} to a lower band`
        : s.higherBand > 0
          ? `moved ${accountsText(s.higherBand)} to a higher band`
          : "moved no account between bands";
  const flags: string[] = [];
  if (s.becameDeclining > 0) flags.push(`${accountsText(s.becameDeclining)} now ${s.becameDeclining === 1 ? "counts" : "count"} as declining`);
  if (s.stoppedDeclining > 0) flags.push(`${accountsText(s.stoppedDeclining)} no longer ${s.stoppedDeclining === 1 ? "counts" : "count"} as declining`);
  const parts = [`New scoring rules (version ${s.configVersion}) ${moved}`, ...flags];
  return {
    title: `New scoring rules changed ${accountsText(s.accounts)}`,
    summary: `${parts.join("; ")}. No alerts were sent for these accounts: the change came from the configuration, not from their engagement.`,
  };
}
