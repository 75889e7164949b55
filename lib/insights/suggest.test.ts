import { describe, expect, it } from "vitest";
import { Random } from "../demo/prng";
import { scaleKeepingMean, suggestWeights, type RenewalCounts, type SuggestionType } from "./suggest";

const BANDS = { mediumFrom: 40, highFrom: 80 };

describe("scaleKeepingMean", () => {
  const types: SuggestionType[] = [
    { key: "a", label: "A", weightHundredths: 200, active: true },
    { key: "b", label: "B", weightHundredths: 100, active: true },
    { key: "c", label: "C", weightHundredths: -300, active: true },
  ];

  it("keeps the mean score (hand-worked)", () => {
    // Mean counts per account 10, 5, 1: the current mean score is 2·10 + 1·5 − 3·1 = 22.
    // A and B are proposed with log-odds 0.1 and 0.3 per event; C keeps −3.
    // s = (2·10 + 1·5) / (0.1·10 + 0.3·5) = 25 / 2.5 = 10, so A = 1 and B = 3 points:
    // the new mean is 1·10 + 3·5 − 3·1 = 22, as before.
    const scale = scaleKeepingMean(types, [true, true, false], [0.1, 0.3, 0.5], { meanCounts: [10, 5, 1], ...BANDS });
    expect(scale).toEqual({ factor: 10, rule: "mean" });
  });

  it("puts the average account in the middle of the medium band when every weight is still 0", () => {
    // A new installation: the current mean is 0, so there is no scale to keep. Target 60:
    // s = 60 / (0.1·10 + 0.3·5) = 24.
    const zero = types.map((t) => ({ ...t, weightHundredths: 0 }));
    expect(scaleKeepingMean(zero, [true, true, true], [0.1, 0.3, 0], { meanCounts: [10, 5, 1], ...BANDS })).toEqual({ factor: 24, rule: "band_middle" });
  });

  it("finds no positive factor when the proposed effects point against the mean they must keep", () => {
    expect(scaleKeepingMean(types, [true, true, false], [-0.1, -0.3, 0], { meanCounts: [10, 5, 1], ...BANDS })).toBeNull();
    expect(scaleKeepingMean(types, [true, false, false], [0, 0, 0], { meanCounts: [10, 5, 1], ...BANDS })).toBeNull();
  });
});

const TYPES: SuggestionType[] = [
  { key: "session", label: "Session", weightHundredths: 100, active: true },
  { key: "report", label: "Report", weightHundredths: 100, active: true },
  { key: "ticket", label: "Ticket", weightHundredths: -100, active: true },
  { key: "never", label: "Never happens", weightHundredths: 300, active: true },
];
const MEANS = { meanCounts: [20, 3, 1, 0], ...BANDS };

/** Renewals driven by reports (strongly, β = `report`) and tickets (against), not sessions. */
function renewals(n: number, seed: number, effects: { session: number; report: number; ticket: number }, types = TYPES): RenewalCounts[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => {
    const counts = Float64Array.from([random.poisson(20), random.poisson(3), random.poisson(1), 0]);
    const logit = -1 + effects.session * ((counts[0] ?? 0) - 20) + effects.report * (counts[1] ?? 0) + effects.ticket * (counts[2] ?? 0);
    const renewed = random.next() < 1 / (1 + Math.exp(-logit));
    const currentScore = types.reduce((s, t, j) => s + (t.weightHundredths / 100) * (counts[j] ?? 0), 0);
    return { renewed, counts, currentScore };
  });
}

describe("suggestWeights", () => {
  it("needs enough renewals and churns", () => {
    const rows = renewals(30, 1, { session: 0, report: 0.8, ticket: -1.2 }).map((r, i) => ({ ...r, renewed: i > 5 }));
    expect(suggestWeights(rows, TYPES, MEANS)).toMatchObject({ status: "too_few", churned: 6, needed: 10 });
  });

  it("proposes the clear effects rescaled to keep the mean score, keeps the rest, and offers them when they rank better on held-out accounts", () => {
    const result = suggestWeights(renewals(1500, 2, { session: 0, report: 0.8, ticket: -1.2 }), TYPES, MEANS);
    if (result.status !== "ok") throw new Error("expected a suggestion");
    const [session, report, ticket, never] = result.weights;
    // Log-odds per event near the truth (0, 0.8, −1.2).
    expect(report?.logOddsPerEvent ?? 0).toBeCloseTo(0.8, 0);
    expect(ticket?.logOddsPerEvent ?? 0).toBeCloseTo(-1.2, 0);
    // Sessions do not drive renewal: the data cannot tell their direction; no data on "never".
    expect(session).toMatchObject({ verdict: "unclear", suggestedHundredths: 100 });
    expect(never).toMatchObject({ verdict: "no_data", suggestedHundredths: 300 });
    expect(report?.verdict).toBe("proposed");
    expect(ticket?.verdict).toBe("proposed");
    // Each proposed weight is the rescaled log-odds, to the hundredth, with the factor that
    // keeps the mean: 1·20 + 1·3 − 1·1 + 3·0 = 22 before and after.
    if (!result.scale) throw new Error("expected a scale");
    expect(result.scale.rule).toBe("mean");
    expect(result.scale.factor).toBeCloseTo((1 * 3 - 1 * 1) / ((report?.logOddsPerEvent ?? 0) * 3 + (ticket?.logOddsPerEvent ?? 0) * 1), 10);
    expect(report?.suggestedHundredths).toBe(Math.round(result.scale.factor * (report?.logOddsPerEvent ?? 0) * 100));
    expect(result.meanScore.current).toBeCloseTo(22, 10);
    expect(result.meanScore.suggested ?? 0).toBeCloseTo(22, 1);
    // The loaded weights rank renewals clearly better than the current ones on held-out accounts.
    expect(result.difference?.lower ?? 0).toBeGreaterThan(0);
    expect(result.suggestedAuc?.auc ?? 0).toBeGreaterThan(result.currentAuc.auc + 0.05);
    expect(result.offer).toBe("load");
    expect(result.folds).toBe(5);
  });

  it("keeps a risk signal the data would make positive: data disagrees", () => {
    // Tickets go with renewing here (busy accounts open more of them), against their weight of −1.
    const result = suggestWeights(renewals(1500, 3, { session: 0, report: 0.8, ticket: 0.9 }), TYPES, MEANS);
    if (result.status !== "ok") throw new Error("expected a suggestion");
    const ticket = result.weights[2];
    expect(ticket).toMatchObject({ verdict: "disagrees", suggestedHundredths: -100 });
    expect(ticket?.fittedHundredths ?? 0).toBeGreaterThan(0);
  });

  it("does not offer weights that rank renewals no better than the current ones", () => {
    // Renewal follows exactly what the current weights count (each event alike, tickets against).
    const fair: SuggestionType[] = TYPES.map((t) => ({ ...t }));
    const result = suggestWeights(renewals(1500, 4, { session: 0.15, report: 0.15, ticket: -0.15 }, fair), fair, MEANS);
    if (result.status !== "ok") throw new Error("expected a suggestion");
    expect(result.offer).toBe("not_better");
    expect(result.difference?.lower ?? 1).toBeLessThanOrEqual(0);
  });
});
