import type { Band } from "../scoring/bands";
import type { Activity } from "../scoring/standing";
import { groupMove, transitionFires, type ConfigurationChangeSummary, type StateChange } from "./match";
import { TRANSITION_KINDS } from "./rules";

/**
 * What a score writer (the incremental sync, the recompute) must record for alerts and the read
 * API, decided from the stored score before and after each write
 * (docs/adr/0016-alerts-outbox-and-read-api.md §1). Pure: the writers, both databases' SQL and
 * the tests share one definition.
 */
export interface StoredStanding {
  band: Band;
  declining: boolean;
  activity: Activity;
  /** NULL: the account did not exist on the comparison day (lib/scoring/standing.ts), it is new. */
  previousActivity: Activity | null;
  scoreHundredths: number;
  configVersion: number;
}

export interface ScoreWrite {
  accountId: number;
  /** The stored score before the write; null when the write created it (a first score). */
  before: StoredStanding | null;
  after: StoredStanding;
}

export interface RecordedTransition {
  accountId: number;
  before: StoredStanding;
  after: StoredStanding;
}

export interface ScoreWriteLog {
  /** Changes some transition rule could fire on, for the evaluator. */
  transitions: RecordedTransition[];
  /** Changes made by a new scoring configuration: counted once per version, never one by one. */
  configurationChanges: ConfigurationChangeSummary[];
  /** Accounts whose score, band or meaning changed (the read API's ?changedSince=), first scores included. */
  changedAccountIds: number[];
}

/** Band, declining flag or "not active yet" changed: the states rules and summaries read. */
function stateChanged(before: StoredStanding, after: StoredStanding): boolean {
  return before.band !== after.band || before.declining !== after.declining || (before.activity === "not_active_yet") !== (after.activity === "not_active_yet");
}

/** What a reader of the score sees changed: the score, its band, what it means. */
function visiblyChanged(before: StoredStanding, after: StoredStanding): boolean {
  return (
    before.scoreHundredths !== after.scoreHundredths ||
    before.band !== after.band ||
    before.activity !== after.activity ||
    before.previousActivity !== after.previousActivity ||
    before.declining !== after.declining
  );
}

export function stateChangeOf(before: StoredStanding, after: StoredStanding): StateChange {
  return {
    oldBand: before.band,
    newBand: after.band,
    oldDeclining: before.declining,
    newDeclining: after.declining,
    oldActivity: before.activity,
    newActivity: after.activity,
    isNew: after.previousActivity === null,
  };
}

/** Whether any transition rule (enabled or not: rules change later than scores) could fire on this change. */
export function couldFireARule(before: StoredStanding, after: StoredStanding): boolean {
  const change = stateChangeOf(before, after);
  return TRANSITION_KINDS.some((kind) => transitionFires(kind, change));
}

/**
 * Sorts one write's changes: a change with the same configuration version (events, the days
 * passing) is a transition when a rule could fire on it (a rise within the bands fires
 * nothing, so it is not recorded); a change with a new version (an admin's new weights) only
 * counts towards that version's summary.
 */
export function classifyScoreWrites(writes: readonly ScoreWrite[]): ScoreWriteLog {
  const transitions: RecordedTransition[] = [];
  const changedAccountIds: number[] = [];
  const byVersion = new Map<number, ConfigurationChangeSummary>();
  for (const { accountId, before, after } of writes) {
    if (before === null) {
      changedAccountIds.push(accountId);
      continue;
    }
    if (visiblyChanged(before, after)) changedAccountIds.push(accountId);
    if (!stateChanged(before, after)) continue;
    if (before.configVersion === after.configVersion) {
      if (couldFireARule(before, after)) transitions.push({ accountId, before, after });
      continue;
    }
    let summary = byVersion.get(after.configVersion);
    if (!summary) {
      summary = { configVersion: after.configVersion, accounts: 0, lowerBand: 0, higherBand: 0, becameDeclining: 0, stoppedDeclining: 0 };
      byVersion.set(after.configVersion, summary);
    }
    summary.accounts++;
    const move = groupMove(stateChangeOf(before, after));
    if (move < 0) summary.lowerBand++;
    if (move > 0) summary.higherBand++;
    if (after.declining && !before.declining) summary.becameDeclining++;
    if (!after.declining && before.declining) summary.stoppedDeclining++;
  }
  return { transitions, configurationChanges: [...byVersion.values()].sort((a, b) => a.configVersion - b.configVersion), changedAccountIds };
}

/** Whether the log holds anything to write. */
export function isEmptyLog(log: ScoreWriteLog): boolean {
  return log.transitions.length === 0 && log.configurationChanges.length === 0 && log.changedAccountIds.length === 0;
}
