import { describe, expect, it } from "vitest";
import { Random } from "../demo/prng";
import { rescaleFactor, scaleKeepingMean, suggestWeights, type RenewalCounts, type SuggestionType } from "./suggest";

const BANDS = { mediumFrom: 40, highFrom: 80 };

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

describe("scaleKeepingMean", () => {
  const types: SuggestionType[] = [
    { key: "a", label: "A", weightHundredths: 200, active: true },
    { key: "b", label: "B", weightHundredths: 100, active: true },
    { key: "c", label: "C", weightHundredths: -300, active: true },
  ];

  it("keeps the mean score (hand-worked)", () => {
    // Mean counts per account 10, 5, 1: the current mean score is 2·10 + 1·5 − 3·1 = 22.
    // A and B are proposed with log-odds 0.1 and 0.3 per event at 18.8 points per log-odds:
    // 1.88 and 5.64 points; C keeps −3. That mean is 18.8 + 28.2 − 3 = 44, so k = 22 / 44 = 0.5
    // and loading sets A = 0.94, B = 2.82, C = −1.5: 9.4 + 14.1 − 1.5 = 22, as before.
    const scale = scaleKeepingMean(types, [true, true, false], [0.1, 0.3, 0.5], 18.8, { meanCounts: [10, 5, 1], ...BANDS });
    expect(scale?.rule).toBe("mean");
    expect(scale?.factor).toBeCloseTo(0.5, 12);
  });

  it("puts the average account in the middle of the medium band when every weight is still 0", () => {
    // A new installation: the current mean is 0, so there is no scale to keep. Step 1 gives
    // 10 · (0.1·10 + 0.3·5) = 25 on average; the target is (40 + 80) / 2 = 60: k = 2.4.
    const zero = types.map((t) => ({ ...t, weightHundredths: 0 }));
    const scale = scaleKeepingMean(zero, [true, true, false], [0.1, 0.3, 0], 10, { meanCounts: [10, 5, 1], ...BANDS });
    expect(scale?.rule).toBe("band_middle");
    expect(scale?.factor).toBeCloseTo(2.4, 12);
  });

  it("finds no positive factor when the proposed effects point against the mean they must keep", () => {
    expect(scaleKeepingMean(types, [true, true, false], [-0.1, -0.3, 0], 10, { meanCounts: [10, 5, 1], ...BANDS })).toBeNull();
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
    expect(session?.verdict).toBe("unclear");
    expect(never?.verdict).toBe("no_data");
    expect(report?.verdict).toBe("proposed");
    expect(ticket?.verdict).toBe("proposed");
    // Each proposed weight is the log-odds in points (step 1) times the common factor (step 2)
    // that keeps the mean score, 1·20 + 1·3 − 1·1 + 3·0 = 22; kept weights get that factor too.
    const scale = result.scale;
    if (!scale) throw new Error("expected a scale");
    expect(scale.rule).toBe("mean");
    expect(report?.suggestedHundredths).toBe(Math.round(scale.factor * scale.pointsPerLogOdds * (report?.logOddsPerEvent ?? 0) * 100));
    expect(session?.suggestedHundredths).toBe(Math.round(scale.factor * 100));
    expect(never?.suggestedHundredths).toBe(Math.round(scale.factor * 300));
    expect(result.meanScore.current).toBeCloseTo(22, 10);
    // Equal but for rounding each weight to the hundredth: at most 0.005 × (20 + 3 + 1 + 0).
    expect(Math.abs((result.meanScore.suggested ?? 0) - 22)).toBeLessThanOrEqual(0.12);
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
    expect(ticket?.verdict).toBe("disagrees");
    expect(ticket?.suggestedHundredths ?? 0).toBe(Math.round((result.scale?.factor ?? 0) * -100));
    expect(ticket?.fittedHundredths ?? 0).toBeGreaterThan(0);
  });

  it("proposes a weight for an event that drives renewal but weighs nothing yet, and offers it", () => {
    // Reports weigh 0 today, yet they decide renewals.
    const unweighted = TYPES.map((t) => (t.key === "report" ? { ...t, weightHundredths: 0 } : t));
    const result = suggestWeights(renewals(1500, 5, { session: 0, report: 0.8, ticket: -1.2 }, unweighted), unweighted, MEANS);
    if (result.status !== "ok") throw new Error("expected a suggestion");
    expect(result.weights[1]).toMatchObject({ verdict: "proposed" });
    expect(result.weights[1]?.suggestedHundredths ?? 0).toBeGreaterThan(100);
    expect(result.offer).toBe("load");
    expect(Math.abs((result.meanScore.suggested ?? 0) - result.meanScore.current)).toBeLessThanOrEqual(0.12);
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
