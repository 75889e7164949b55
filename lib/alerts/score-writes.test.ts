import { describe, expect, it } from "vitest";
import { configurationChangeText, sumByVersion, type ConfigurationChangeSummary } from "./match";
import { classifyScoreWrites, type ScoreWrite, type StoredStanding } from "./score-writes";

function standing(partial: Partial<StoredStanding> = {}): StoredStanding {
  return { band: "medium", declining: false, activity: "active", previousActivity: "active", scoreHundredths: 5000, configVersion: 1, ...partial };
}

function write(accountId: number, before: Partial<StoredStanding> | null, after: Partial<StoredStanding>): ScoreWrite {
  return { accountId, before: before === null ? null : standing(before), after: standing(after) };
}

const NONE: ConfigurationChangeSummary = { configVersion: 0, accounts: 0, lowerBand: 0, higherBand: 0, becameDeclining: 0, stoppedDeclining: 0 };

describe("what a score writer records (classifyScoreWrites)", () => {
  it("records a change some rule could fire on, with the stored values before and after", () => {
    const log = classifyScoreWrites([write(1, { band: "medium", scoreHundredths: 5200 }, { band: "low", scoreHundredths: 3500 })]);
    expect(log.transitions).toEqual([{ accountId: 1, before: standing({ band: "medium", scoreHundredths: 5200 }), after: standing({ band: "low", scoreHundredths: 3500 }) }]);
    expect(log.changedAccountIds).toEqual([1]);
    expect(log.configurationChanges).toEqual([]);
  });

  it("does not record what no rule fires on: a rise within the bands, a score that moved inside its band, a recovery from declining", () => {
    const log = classifyScoreWrites([
      write(1, { band: "low" }, { band: "medium" }),
      write(2, { scoreHundredths: 5000 }, { scoreHundredths: 5600 }),
      write(3, { band: "low", declining: true }, { band: "low", declining: false }),
    ]);
    expect(log.transitions).toEqual([]);
    // The read API still sees every one of them change.
    expect(log.changedAccountIds).toEqual([1, 2, 3]);
  });

  it("records entering churn risk, becoming declining and becoming a power user, and a not-active-yet account turning silent", () => {
    const log = classifyScoreWrites([
      write(1, { band: "low" }, { band: "churn_risk" }),
      write(2, { band: "high" }, { band: "high", declining: true }),
      write(3, { band: "high" }, { band: "power" }),
      write(4, { band: "churn_risk", activity: "not_active_yet", previousActivity: null }, { band: "churn_risk", activity: "silent", previousActivity: null }),
    ]);
    expect(log.transitions.map((t) => t.accountId)).toEqual([1, 2, 3, 4]);
  });

  it("a new account's drop is no band drop, so only its entering churn risk is recorded", () => {
    const log = classifyScoreWrites([
      write(1, { band: "medium", previousActivity: null }, { band: "low", previousActivity: null }),
      write(2, { band: "low", previousActivity: null }, { band: "churn_risk", previousActivity: null }),
    ]);
    expect(log.transitions.map((t) => t.accountId)).toEqual([2]);
  });

  it("a first score is a change for readers, never a transition", () => {
    const log = classifyScoreWrites([write(7, null, { band: "churn_risk" })]);
    expect(log).toEqual({ transitions: [], configurationChanges: [], changedAccountIds: [7] });
  });

  it("counts a new configuration's changes per version instead of recording them account by account", () => {
    const log = classifyScoreWrites([
      write(1, { band: "medium", configVersion: 4 }, { band: "low", configVersion: 5 }),
      write(2, { band: "high", configVersion: 4 }, { band: "medium", declining: true, configVersion: 5 }),
      write(3, { band: "low", configVersion: 4 }, { band: "medium", configVersion: 5 }),
      // Same band under the new version: the score changed for readers, nothing to summarise.
      write(4, { band: "low", scoreHundredths: 3000, configVersion: 4 }, { band: "low", scoreHundredths: 3100, configVersion: 5 }),
      write(5, { band: "low", declining: true, configVersion: 5 }, { band: "low", declining: false, configVersion: 6 }),
    ]);
    expect(log.transitions).toEqual([]);
    expect(log.configurationChanges).toEqual([
      { configVersion: 5, accounts: 3, lowerBand: 2, higherBand: 1, becameDeclining: 1, stoppedDeclining: 0 },
      { configVersion: 6, accounts: 1, lowerBand: 0, higherBand: 0, becameDeclining: 0, stoppedDeclining: 1 },
    ]);
    expect(log.changedAccountIds).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("configuration change summaries", () => {
  it("add up one version's counts from every write that applied it, and say what moved", () => {
    const summaries = sumByVersion([
      { configVersion: 5, accounts: 2, lowerBand: 1, higherBand: 1, becameDeclining: 1, stoppedDeclining: 0 },
      { configVersion: 6, accounts: 1, lowerBand: 0, higherBand: 0, becameDeclining: 0, stoppedDeclining: 1 },
      { configVersion: 5, accounts: 1, lowerBand: 1, higherBand: 0, becameDeclining: 0, stoppedDeclining: 0 },
    ]);
    expect(summaries).toEqual([
      { configVersion: 5, accounts: 3, lowerBand: 2, higherBand: 1, becameDeclining: 1, stoppedDeclining: 0 },
      { configVersion: 6, accounts: 1, lowerBand: 0, higherBand: 0, becameDeclining: 0, stoppedDeclining: 1 },
    ]);
    expect(configurationChangeText(summaries[0] ?? NONE)).toEqual({
      title: "New scoring rules changed 3 accounts",
      summary:
        "New scoring rules (version 5) moved 2 accounts to a lower band and 1 to a higher one; 1 account now counts as declining. No alerts were sent for these accounts: the change came from the configuration, not from their engagement.",
    });
    expect(configurationChangeText(summaries[1] ?? NONE).summary).toMatch(/^New scoring rules \(version 6\) moved no account between bands; 1 account no longer counts as declining\./);
  });

  it("say 'moved N accounts to a higher band' when nobody moved down", () => {
    const [s] = sumByVersion([{ configVersion: 2, accounts: 1, lowerBand: 0, higherBand: 1, becameDeclining: 0, stoppedDeclining: 0 }]);
    expect(s && configurationChangeText(s).summary).toMatch(/^New scoring rules \(version 2\) moved 1 account to a higher band\. /);
  });
});
