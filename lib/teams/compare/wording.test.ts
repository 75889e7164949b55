import { describe, expect, it } from "vitest";
import { summarySentence } from "./summary";
import type { ComparisonFigure, PlaceboFigure, VerdictFigure } from "./types";
import { verdictText, type WordingContext } from "./wording";

const placebo: PlaceboFigure = { dates: 35, earlier: 35, later: 0, lowerHundredths: -420, upperHundredths: -110, medianHundredths: -250, differencesHundredths: [] };

function context(extra: Partial<WordingContext> = {}): WordingContext {
  return {
    subject: { cohortAge: 30 },
    difference: { estimateHundredths: 2310, lowerHundredths: 1750, upperHundredths: 2950 },
    placebo,
    range: { lowerHundredths: -750, upperHundredths: 440 },
    counts: { before: 141, after: 164, pairs: null },
    needsBothSides: false,
    correctedRows: null,
    changeTitle: "Documentation overhaul",
    overlapping: [],
    ...extra,
  };
}

describe("verdictText", () => {
  it("states the finding, its interval and the normal range it clears", () => {
    expect(verdictText({ kind: "higher" }, context())).toBe(
      "Accounts that signed up after the change scored 23.1 points higher at day 30 than those who signed up before (95 % interval +17.5 to +29.5 points), beyond the normal range (−7.5 to +4.4 points, from 35 quiet dates and chance).",
    );
    const existing = context({ subject: "existing", counts: { before: 500, after: 500, pairs: 500 }, difference: { estimateHundredths: -640, lowerHundredths: -900, upperHundredths: -380 }, correctedRows: 4 });
    expect(verdictText({ kind: "lower" }, existing)).toBe(
      "Mean score 6.4 points lower after the change than before (95 % interval −9 to −3.8 points), beyond the normal range (−7.5 to +4.4 points, from 35 quiet dates and chance). It holds with Holm's correction for 4 segments.",
    );
  });

  it("explains why no effect is claimed", () => {
    const d = { estimateHundredths: 120, lowerHundredths: -80, upperHundredths: 330 };
    expect(verdictText({ kind: "no_clear_effect", reason: "includes_zero" }, context({ difference: d }))).toBe(
      "No clear effect: the 95 % interval of the difference (−0.8 to +3.3 points) includes zero.",
    );
    expect(verdictText({ kind: "no_clear_effect", reason: "within_drift" }, context({ difference: { estimateHundredths: -330, lowerHundredths: -470, upperHundredths: -200 } }))).toBe(
      "No clear effect: the difference of −3.3 points (95 % interval −4.7 to −2) is not clearly beyond the normal range (−7.5 to +4.4 points, from 35 quiet dates and chance).",
    );
  });

  it("says plainly when the history or the groups are too small", () => {
    expect(verdictText({ kind: "too_small", reason: "history" }, context({ placebo: { ...placebo, dates: 12, earlier: 12 }, needsBothSides: true }))).toBe(
      "Too little history to tell a change of +23.1 points (95 % interval +17.5 to +29.5) from normal drift: 12 quiet dates (12 before the change, 0 after); the same accounts need at least 5 on each side and 20 in all.",
    );
    expect(verdictText({ kind: "too_small", reason: "history" }, context({ placebo: null }))).toBe(
      "Too little history to tell a change of +23.1 points (95 % interval +17.5 to +29.5) from normal drift: no quiet dates; at least 20 are needed.",
    );
    expect(verdictText({ kind: "too_small", reason: "history" }, context())).toBe(
      "Too little history to tell a change of +23.1 points (95 % interval +17.5 to +29.5) from normal drift: the 35 quiet dates (35 before the change, 0 after) drift by more than chance, within a single period that shares no day with another, too little to gauge the drift by.",
    );
    expect(verdictText({ kind: "too_small", reason: "accounts" }, context({ difference: null, counts: { before: 7, after: 31, pairs: null } }))).toBe(
      "Too few accounts to tell: 7 that signed up before and 31 after reached day 30; at least 20 in each group are needed.",
    );
  });

  it("names other changes inside the windows and does not credit this one alone", () => {
    expect(verdictText({ kind: "higher" }, context({ overlapping: ["Pricing page", "Scoring rules v2"] }))).toMatch(
      /chance\)\. “Pricing page” and “Scoring rules v2” also fall in these windows, so the difference cannot be credited to “Documentation overhaul” alone\.$/,
    );
    expect(verdictText({ kind: "no_clear_effect", reason: "includes_zero" }, context({ overlapping: ["Pricing page"] }))).toMatch(/ “Pricing page” also falls in these windows\.$/);
  });
});

function row(verdict: Partial<VerdictFigure>, estimate: number): ComparisonFigure {
  return {
    key: "k",
    label: "k",
    design: "paired",
    before: { n: 100, meanHundredths: 0, medianHundredths: 0 },
    after: { n: 100, meanHundredths: 0, medianHundredths: 0 },
    unpaired: 0,
    meanDifference: { estimateHundredths: estimate, lowerHundredths: estimate - 100, upperHundredths: estimate + 100 },
    medianDifference: null,
    placebo: null,
    normalRange: null,
    calibrated: true,
    verdict: { kind: "no_clear_effect", reason: null, text: "", overlapping: [], ...verdict },
    judgedAt: 0.95,
  };
}

describe("summarySentence", () => {
  it("puts new and existing accounts in one sentence a team lead can repeat", () => {
    expect(summarySentence({ headline: row({ kind: "higher" }, 2310), age: 30 }, row({ kind: "no_clear_effect", reason: "within_drift" }, -330), [])).toBe(
      "New accounts engage faster after the change (+23.1 points at day 30, beyond what quiet dates show); existing accounts show no change beyond their normal drift (−3.3 points), so the difference is specific to accounts that started after the change.",
    );
    expect(summarySentence({ headline: row({ kind: "higher" }, 2310), age: 30 }, row({ kind: "too_small", reason: "history" }, -330), [])).toBe(
      "New accounts engage faster after the change (+23.1 points at day 30, beyond what quiet dates show); for existing accounts the history is too short to tell their change (−3.3 points) from normal drift.",
    );
    expect(summarySentence({ headline: row({ kind: "higher" }, 900), age: 60 }, row({ kind: "higher" }, 500), ["Pricing page"])).toBe(
      "New accounts engage faster after the change (+9 points at day 60, beyond what quiet dates show); existing accounts' scores rose beyond their normal drift (+5 points), so part of the new accounts' difference may be a shift in every account's score. Other changes in these windows (“Pricing page”) share the credit.",
    );
    expect(summarySentence(null, null, [])).toBeNull();
  });
});
