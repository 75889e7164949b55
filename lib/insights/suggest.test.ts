import { describe, expect, it } from "vitest";
import { Random } from "../demo/prng";
import { rescaleFactor, suggestWeights, type RenewalCounts, type SuggestionType } from "./suggest";

describe("rescaleFactor", () => {
  it("is the least-squares factor through zero (hand-worked)", () => {
    // current = (10, 20, 30), linear = (1, 2, 2): s = (10 + 40 + 60) / (1 + 4 + 4) = 110 / 9.
    expect(rescaleFactor([10, 20, 30], [1, 2, 2])).toEqual({ scale: 110 / 9, method: "least_squares" });
  });

  it("matches the spread when the suggestion runs against the current order", () => {
    // current = (10, 20, 30) (sd ∝ √200), linear = (3, 2, 1) (sd ∝ √2): s = 10.
    const { scale, method } = rescaleFactor([10, 20, 30], [-1, -2, -3]);
    expect(method).toBe("spread");
    expect(scale).toBeCloseTo(10, 12);
  });
});

const TYPES: SuggestionType[] = [
  { key: "session", label: "Session", weightHundredths: 100, active: true },
  { key: "report", label: "Report", weightHundredths: 100, active: true },
  { key: "ticket", label: "Ticket", weightHundredths: 100, active: true },
  { key: "never", label: "Never happens", weightHundredths: 300, active: true },
];

/** Renewals driven by reports (strongly) and tickets (against), not sessions; the current weights count all three alike. */
function renewals(n: number, seed: number): RenewalCounts[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => {
    const counts = Float64Array.from([random.poisson(20), random.poisson(3), random.poisson(1), 0]);
    const logit = -1 + 0.8 * (counts[1] ?? 0) - 1.2 * (counts[2] ?? 0);
    const renewed = random.next() < 1 / (1 + Math.exp(-logit));
    return { renewed, counts, currentScore: (counts[0] ?? 0) + (counts[1] ?? 0) + (counts[2] ?? 0) };
  });
}

describe("suggestWeights", () => {
  it("needs enough renewals and churns", () => {
    const rows = renewals(30, 1).map((r, i) => ({ ...r, renewed: i > 5 }));
    expect(suggestWeights(rows, TYPES)).toMatchObject({ status: "too_few", churned: 6, needed: 10 });
  });

  it("finds what drives renewal, rescaled to points, and beats the current weights on held-out accounts", () => {
    const result = suggestWeights(renewals(1500, 2), TYPES);
    if (result.status !== "ok") throw new Error("expected a suggestion");
    const [session, report, ticket, never] = result.weights;
    expect(report?.suggestedHundredths ?? 0).toBeGreaterThan(5 * Math.abs(session?.suggestedHundredths ?? 0));
    expect(ticket?.suggestedHundredths ?? 0).toBeLessThan(0);
    // Log-odds per event near the truth (0, 0.8, −1.2).
    expect(report?.logOddsPerEvent ?? 0).toBeCloseTo(0.8, 0);
    expect(ticket?.logOddsPerEvent ?? 0).toBeCloseTo(-1.2, 0);
    // Sessions do not drive renewal: the data cannot tell their direction; reports and tickets are clear.
    expect(session?.directionUnclear).toBe(true);
    expect(report).toMatchObject({ directionUnclear: false });
    expect(ticket).toMatchObject({ directionUnclear: false });
    expect(Math.abs(ticket?.logOddsPerEvent ?? 0)).toBeGreaterThan(1.96 * (ticket?.logOddsStandardError ?? Infinity));
    // No data on "never": the current weight stays.
    expect(never).toMatchObject({ noData: true, suggestedHundredths: 300 });
    // Each suggested weight is the rescaled log-odds, to the hundredth.
    expect(report?.suggestedHundredths).toBe(Math.round(result.scale * (report?.logOddsPerEvent ?? 0) * 100));
    expect(result.suggestedAuc.auc).toBeGreaterThan(result.currentAuc.auc + 0.1);
    expect(result.difference?.lower ?? 0).toBeGreaterThan(0);
    expect(result.folds).toBe(5);
    expect(result.probabilityAt.map((p) => p.score)).toEqual([0, 40, 80]);
  });
});
