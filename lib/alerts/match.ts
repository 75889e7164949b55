import { bandRank, type Band } from "../scoring/bands";
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
}

/** Whether a change of band or declining flag crosses the line a transition rule watches. */
export function transitionFires(kind: TransitionKind, t: StateChange): boolean {
  switch (kind) {
    case "band_drop":
      return bandRank(t.newBand) < bandRank(t.oldBand);
    case "churn_risk":
      return t.newBand === "churn_risk" && t.oldBand !== "churn_risk";
    case "declining":
      return t.newDeclining && !t.oldDeclining;
    case "power_user":
      return t.newBand === "power" && t.oldBand !== "power";
  }
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

/** Every non-empty filter list must hold the account's value (tags: any of the account's tags). */
export function matchesFilters(filters: RuleFilters, account: AccountFacts): boolean {
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

/** One summary per new configuration version, from that version's transitions. */
export function summariseConfigurationChanges(transitions: readonly Transition[]): ConfigurationChangeSummary[] {
  const byVersion = new Map<number, { accounts: Set<number>; lower: Set<number>; higher: Set<number>; declining: Set<number>; recovered: Set<number> }>();
  for (const t of transitions) {
    if (!isConfigurationChange(t)) continue;
    let s = byVersion.get(t.newConfigVersion);
    if (!s) {
      s = { accounts: new Set(), lower: new Set(), higher: new Set(), declining: new Set(), recovered: new Set() };
      byVersion.set(t.newConfigVersion, s);
    }
    s.accounts.add(t.accountId);
    const move = bandRank(t.newBand) - bandRank(t.oldBand);
    if (move < 0) s.lower.add(t.accountId);
    if (move > 0) s.higher.add(t.accountId);
    if (t.newDeclining && !t.oldDeclining) s.declining.add(t.accountId);
    if (!t.newDeclining && t.oldDeclining) s.recovered.add(t.accountId);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => a - b)
    .map(([configVersion, s]) => ({
      configVersion,
      accounts: s.accounts.size,
      lowerBand: s.lower.size,
      higherBand: s.higher.size,
      becameDeclining: s.declining.size,
      stoppedDeclining: s.recovered.size,
    }));
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
