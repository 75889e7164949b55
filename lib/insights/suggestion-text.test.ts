import { describe, expect, it } from "vitest";
import { differenceText, keptNote, offerText, scaleText } from "./suggestion-text";

const difference = { difference: 0.0512, standardError: 0.01, lower: 0.0316, upper: 0.0708 };

describe("suggestion texts", () => {
  it("offers only a suggestion that ranks better, with the paired difference", () => {
    expect(differenceText(difference)).toBe("+0.05, 95 % interval +0.03 to +0.07");
    expect(offerText({ offer: "load", difference })).toBe(
      "The suggested weights rank renewals better than the current ones on accounts they were not fitted on (+0.05, 95 % interval +0.03 to +0.07). Worth a preview.",
    );
    expect(offerText({ offer: "not_better", difference: { difference: 0.004, standardError: 0.01, lower: -0.016, upper: 0.024 } })).toBe(
      "The suggested weights do not rank renewals better than the current ones on accounts they were not fitted on (+0.004, 95 % interval \u22120.02 to +0.02), so they are not offered for loading. Keep the current weights, or change only what you have other reasons for.",
    );
  });

  it("says which scale the suggestion keeps", () => {
    const scale = { pointsPerLogOdds: 20, pointsMethod: "least_squares" as const };
    expect(scaleText({ scale: { ...scale, factor: 0.7243, rule: "mean" }, meanScore: { current: 48.8, suggested: 48.79 } })).toBe(
      "The suggested weights are scaled so that the average account keeps its score: the mean score over all accounts stays at 48.8. For that, every weight is multiplied by 0.72, the kept ones too: they keep their sign and their proportions to each other.",
    );
    expect(scaleText({ scale: { ...scale, factor: 2.4, rule: "band_middle" }, meanScore: { current: 0, suggested: 60 } })).toMatch(/average account scores 60, the middle of the medium band/);
    expect(scaleText({ scale: null, meanScore: { current: 48.8, suggested: null } })).toBeNull();
  });

  it("explains a kept risk signal with the weight the data would give it", () => {
    expect(keptNote({ verdict: "disagrees", fittedHundredths: 2152 })).toMatch(/^The renewals point the other way from this weight's sign \(fitted: 21.52 points\)/);
  });
});
