import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../scoring/bands";
import { calibrationBins, rankingVerdict, validate, verdictFor, TIER_PROMISES, type RenewalForValidation } from "./validation";

const base = { from: "2026-01-01", to: "2026-12-31", lead: 90 as const, windowDays: 30, thresholds: DEFAULT_THRESHOLDS, historyStartDate: "2026-01-01", asOfDate: "2026-12-31" };

function renewals(score: number, renewed: number, churned: number): RenewalForValidation[] {
  return [
    ...Array.from({ length: renewed }, () => ({ renewalDate: "2026-06-01", outcome: "renewed" as const, scoreHundredths: score * 100, unscored: null })),
    ...Array.from({ length: churned }, () => ({ renewalDate: "2026-06-01", outcome: "churned" as const, scoreHundredths: score * 100, unscored: null })),
  ];
}

describe("validate", () => {
  // Hand-worked: 30 accounts at 90 points (27 renewed), 40 at 60 (22 renewed), 30 at 20 (6 renewed),
  // and one expansion at 150; two renewals that cannot be scored.
  const data = validate({
    ...base,
    renewals: [
      ...renewals(90, 27, 3),
      ...renewals(60, 22, 18),
      ...renewals(20, 6, 24),
      { renewalDate: "2026-07-01", outcome: "expanded", scoreHundredths: 15000, unscored: null },
      { renewalDate: "2026-02-01", outcome: "churned", scoreHundredths: null, unscored: "before_history" },
      { renewalDate: "2026-03-01", outcome: "renewed", scoreHundredths: null, unscored: "no_history" },
    ],
  });

  it("counts what was and was not scored", () => {
    expect(data.totals).toEqual({ outcomes: 103, scored: 101, renewed: 56, churned: 45, beforeHistory: 1, afterHistory: 0, noHistory: 1 });
    expect(data.scorableFrom).toBe("2026-04-01");
    expect(data.scorableTo).toBe("2027-03-31");
  });

  it("gives each tier its renewal rate with a Wilson interval, beside what the playbook says", () => {
    const [high, medium, low] = data.tiers;
    // 80 and above: 27 of 30 at 90 plus the expansion at 150 = 28 of 31.
    expect(high).toMatchObject({ tier: "high", label: "80 and above", n: 31, renewed: 28, verdict: "as_promised" });
    expect(high?.rate).toBeCloseTo(28 / 31, 12);
    // 40–80: 22 of 40 = 55 %, "about 50 %" (40–60 %).
    expect(medium).toMatchObject({ label: "40–80", n: 40, renewed: 22, verdict: "as_promised" });
    // Below 40: 6 of 30 = 20 %; Wilson 95 %: 9.5 %–37.3 % overlaps "very low" (≤ 25 %).
    expect(low).toMatchObject({ label: "below 40", n: 30, renewed: 6, verdict: "as_promised" });
    expect(low?.lower).toBeCloseTo(0.0951, 3);
    expect(low?.upper).toBeCloseTo(0.3729, 3);
    expect(data.bands.find((b) => b.band === "power")).toMatchObject({ n: 1, renewed: 1, range: "> 100" });
  });

  it("ranks churners: the AUC of the scores, and what flagging below 40 or 80 catches", () => {
    // Pairs: renewers (27@90, 22@60, 6@20, 1@150) against churners (3@90, 18@60, 24@20):
    // wins = 27·(18+24) + 27·3·½ + 22·24 + 22·18·½ + 6·24·½ + 1·45 = 1134 + 40.5 + 528 + 198 + 72 + 45 = 2017.5 of 56·45 = 2520.
    expect(data.ranking?.auc.auc).toBeCloseTo(2017.5 / 2520, 12);
    expect(data.ranking?.operatingPoints[0]).toMatchObject({ below: 40, churnersCaught: 24 / 45, renewersFlagged: 6 / 56 });
    expect(data.ranking?.operatingPoints[1]).toMatchObject({ below: 80, churnersCaught: 42 / 45, renewersFlagged: 28 / 56 });
    expect(data.ranking?.curve[0]).toMatchObject({ churnersCaught: 0, renewersFlagged: 0 });
    expect(data.ranking?.curve.at(-1)).toMatchObject({ churnersCaught: 1, renewersFlagged: 1 });
  });

  it("says it in words, including what was left out and how rough the figures are", () => {
    // Churned accounts are never called renewals: they came up for renewal.
    expect(data.summary[0]).toBe(
      "Of 103 accounts up for renewal between 1 Jan 2026 – 31 Dec 2026, 101 could be scored 90 days before the renewal date; 56 of those renewed and 45 churned (45 %).",
    );
    expect(data.summary[1]).toContain("2 could not be scored and are left out: 1 came up for renewal before 1 Apr 2026");
    // The playbook is named; nothing refers to a "brief".
    expect(data.summary.join(" ")).toMatch(/the playbook's "/);
    expect(data.summary.join(" ")).not.toMatch(/brief/);
    expect(data.summary[2]).toMatch(/^The score ranks churners below renewers well: a renewer outscored a churner in 80 % of pairs \(AUC 0\.80/);
    expect(data.summary.join(" ")).toContain("Renewal rates rise from tier to tier");
    expect(data.summary.at(-1)).toContain("Intervals are 95 % intervals");
  });

  it("bins the scored renewals for the calibration view and fits renewal on the score", () => {
    expect(data.calibration?.bins.length).toBe(3);
    expect(data.calibration?.bins.reduce((n, b) => n + b.n, 0)).toBe(101);
    const curve = data.calibration?.curve ?? [];
    expect(curve.length).toBe(40);
    // More score, likelier renewal.
    expect(curve.at(-1)?.probability ?? 0).toBeGreaterThan(curve[0]?.probability ?? 1);
  });

  it("says so when there is nothing, or too little, to judge", () => {
    const empty = validate({ ...base, renewals: [] });
    expect(empty.summary).toEqual(["No renewal outcomes are recorded for 1 Jan 2026 – 31 Dec 2026. Send them with the outcomes API, Segment group traits or a CSV import."]);
    expect(empty.ranking).toBeNull();
    const small = validate({ ...base, renewals: [...renewals(90, 5, 1), ...renewals(20, 2, 3)] });
    expect(small.tiers.map((t) => t.verdict)).toEqual(["too_few", "too_few", "too_few"]);
    expect(small.calibration).toBeNull();
    expect(small.summary.join(" ")).toContain("every figure here is rough");
  });
});

describe("verdicts", () => {
  it("compare the interval with the promised range", () => {
    expect(verdictFor({ n: 100, renewed: 90, rate: 0.9, lower: 0.83, upper: 0.95 }, TIER_PROMISES.medium)).toBe("higher");
    expect(verdictFor({ n: 100, renewed: 10, rate: 0.1, lower: 0.05, upper: 0.18 }, TIER_PROMISES.medium)).toBe("lower");
    expect(verdictFor({ n: 19, renewed: 10, rate: 0.5, lower: 0.3, upper: 0.7 }, TIER_PROMISES.medium)).toBe("too_few");
    expect(rankingVerdict({ auc: 0.62, standardError: 0.08, lower: 0.46, upper: 0.78, positives: 10, negatives: 10 })).toBe("chance");
    expect(rankingVerdict({ auc: 0.75, standardError: 0.02, lower: 0.71, upper: 0.79, positives: 10, negatives: 10 })).toBe("fair");
  });

  it("needs 60 scored renewals for calibration bins of at least 20", () => {
    expect(calibrationBins(Array.from({ length: 59 }, (_, i) => ({ score: i, renewed: i % 2 === 0 })))).toEqual([]);
    const bins = calibrationBins(Array.from({ length: 95 }, (_, i) => ({ score: i, renewed: i > 30 })));
    expect(bins.map((b) => [b.minScore, b.maxScore, b.n, b.renewed])).toEqual([
      [0, 31, 32, 1],
      [32, 62, 31, 31],
      [63, 94, 32, 32],
    ]);
  });
});
