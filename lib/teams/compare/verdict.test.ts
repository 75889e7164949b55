import { describe, expect, it } from "vitest";
import type { BootstrapDistribution } from "../../stats/bootstrap";
import { normalQuantile } from "../../stats/normal";
import type { PlaceboBand } from "./placebo";
import { driftPValue, judge, judgeWithHolm, MIN_GROUP_SIZE, MIN_PLACEBO_DATES, normalRange, type JudgeInput } from "./verdict";

/** A bootstrap distribution that is exactly N(mean, sd²) on a fine grid, so every bound is known by hand. */
function normal(mean: number, sd = 1): BootstrapDistribution {
  const B = 20_000;
  const replicates = Float64Array.from({ length: B }, (_, i) => mean + sd * normalQuantile((i + 0.5) / B));
  return { estimate: mean, replicates, method: "percentile", biasCorrection: 0, acceleration: 0 };
}

function band(lower: number, upper: number, extra: Partial<PlaceboBand> = {}): PlaceboBand {
  return { count: 60, earlier: 30, later: 30, lower, upper, median: (lower + upper) / 2, sd: 0.5, independent: 4, differences: new Float64Array(0), ...extra };
}

function input(mean: number, placebo: PlaceboBand | null = band(-0.5, 0.5), extra: Partial<JudgeInput> = {}): JudgeInput {
  return { smallestGroup: 100, distribution: normal(mean), placebo, needsBothSides: false, ...extra };
}

// Every distribution below has SE 1: its 95 % interval is mean ± 1.96.
describe("normalRange", () => {
  it("is at least the comparison's own chance variation around the quiet dates' median, and at least their central 95 %", () => {
    // Quiet dates spread less than chance (SD 0.5 < SE 1): median 0 ± 1.96 · 1.
    const range = normalRange(band(-0.5, 0.5), normal(3), false);
    expect(range?.lower).toBeCloseTo(-1.96, 3);
    expect(range?.upper).toBeCloseTo(1.96, 3);
    expect(range?.drift).toBe(0);
    // A wide central band stays as it is.
    expect(normalRange(band(-4, 3, { median: 0 }), normal(3), false)).toMatchObject({ lower: -4, upper: 3 });
  });

  it("adds drift beyond chance, widened for how few independent quiet periods measure it", () => {
    // SD √5 against SE 1: drift 2. Four independent periods: t(0.975, 3) · 2 · √(1 + 1/4) = 7.1162;
    // combined with chance: √(1.96² + 7.1162²) = 7.3811 around the median 0.
    const range = normalRange(band(-3, 3, { median: 0, sd: Math.sqrt(5), independent: 4 }), normal(3), false);
    expect(range?.drift).toBeCloseTo(2, 4);
    expect(range?.upper).toBeCloseTo(7.381143627566377, 4);
    expect(range?.lower).toBeCloseTo(-7.381143627566377, 4);
    // Drift measured by a single period cannot be gauged.
    expect(normalRange(band(-3, 3, { sd: Math.sqrt(5), independent: 1 }), normal(3), false)).toBeNull();
  });
});

describe("judge", () => {
  it("claims a difference only when the whole interval clears zero and the normal range on the same side", () => {
    // Normal range ±1.96: the interval's lower bound mean − 1.96 must exceed 1.96.
    expect(judge(input(4))).toEqual({ kind: "higher" });
    expect(judge(input(-4))).toEqual({ kind: "lower" });
    expect(judge(input(3.8))).toEqual({ kind: "no_clear_effect", reason: "within_drift" });
    expect(judge(input(1.5))).toEqual({ kind: "no_clear_effect", reason: "includes_zero" });
  });

  it("measures against zero when the whole normal range lies on the other side", () => {
    // Quiet dates drift down: central −3 … −1, median −2: range −3.96 … −0.04.
    const down = band(-3, -1, { median: -2 });
    expect(judge(input(2.1, down))).toEqual({ kind: "higher" });
    expect(judge(input(-5.5, down))).toEqual({ kind: "no_clear_effect", reason: "within_drift" });
    expect(judge(input(-6, down))).toEqual({ kind: "lower" });
  });

  it("asks more when the quiet dates drift beyond chance", () => {
    const drifting = band(-3, 3, { median: 0, sd: Math.sqrt(5), independent: 4 });
    expect(judge(input(9.5, drifting))).toEqual({ kind: "higher" });
    expect(judge(input(9, drifting))).toEqual({ kind: "no_clear_effect", reason: "within_drift" });
  });

  it("refuses small groups, however clear the interval", () => {
    expect(judge(input(50, band(-1, 1), { smallestGroup: MIN_GROUP_SIZE - 1 }))).toEqual({ kind: "too_small", reason: "accounts" });
    expect(judge({ smallestGroup: 100, distribution: null, placebo: band(-1, 1), needsBothSides: false })).toEqual({ kind: "too_small", reason: "accounts" });
  });

  it("says the history is too short instead of guessing, unless the interval already includes zero", () => {
    expect(judge(input(10, null))).toEqual({ kind: "too_small", reason: "history" });
    expect(judge(input(10, band(-1, 1, { count: MIN_PLACEBO_DATES - 1 })))).toEqual({ kind: "too_small", reason: "history" });
    expect(judge(input(10, band(-1, 1, { count: MIN_PLACEBO_DATES, earlier: MIN_PLACEBO_DATES, later: 0 })))).toEqual({ kind: "higher" });
    expect(judge(input(10, band(-1, 1, { sd: 3, independent: 1 })))).toEqual({ kind: "too_small", reason: "history" });
    expect(judge(input(0.5, null))).toEqual({ kind: "no_clear_effect", reason: "includes_zero" });
  });

  it("needs quiet dates on both sides of the change for the same accounts over time", () => {
    expect(judge(input(10, band(-1, 1, { earlier: 60, later: 4 }), { needsBothSides: true }))).toEqual({ kind: "too_small", reason: "history" });
    expect(judge(input(10, band(-1, 1, { earlier: 60, later: 5 }), { needsBothSides: true }))).toEqual({ kind: "higher" });
  });
});

describe("driftPValue", () => {
  it("is the two-sided level at which the interval touches the line", () => {
    // N(5, 1) against the line 1.96: one-sided P(≤ 1.96) = Φ(1.96 − 5) = 0.0011827 → p = 0.0023655.
    const range = { lower: -1.959963984540054, upper: 1.959963984540054, drift: 0 };
    expect(driftPValue(normal(5), range)).toBeCloseTo(2 * 0.0011827492981973586, 4);
    expect(driftPValue(normal(-5), range)).toBeCloseTo(2 * 0.0011827492981973586, 4);
    expect(driftPValue(normal(0), range)).toBe(1);
  });
});

describe("judgeWithHolm", () => {
  it("judges the most convincing row at 1 − α/m, the next at 1 − α/(m − 1), and stops at the first failure", () => {
    // Three segments against the line 1.96. Alone, each 95 % interval (mean ± 1.96) clears it.
    // Holm orders them by p: A (mean 6), C (4.2), B (4.1). A at 1 − 0.05/3 (z = 2.394):
    // 6 − 2.394 = 3.61 > 1.96, called; C at 1 − 0.05/2 (z = 2.241): 1.959 < 1.96, not called;
    // B comes after the first failure: not called either.
    const rows = judgeWithHolm([input(4.1), input(6), input(4.2), input(50, band(-1, 1), { smallestGroup: 3 })]);
    expect(rows.map((r) => r.judgement)).toEqual([
      { kind: "no_clear_effect", reason: "correction" },
      { kind: "higher" },
      { kind: "no_clear_effect", reason: "correction" },
      { kind: "too_small", reason: "accounts" },
    ]);
    expect(rows[1]?.confidence).toBeCloseTo(1 - 0.05 / 3, 12);
    expect(rows[2]?.confidence).toBeCloseTo(1 - 0.05 / 2, 12);
    expect(rows[0]?.confidence).toBeCloseTo(1 - 0.05 / 1, 12);
    // The row that could not be judged is not part of the family.
    expect(rows[3]?.confidence).toBe(0.95);
    expect(judge(input(4.1))).toEqual({ kind: "higher" });
  });

  it("changes nothing for a single row, and keeps a row's own reason when it fails on its own", () => {
    expect(judgeWithHolm([input(4.1)]).map((r) => r.judgement)).toEqual([{ kind: "higher" }]);
    const rows = judgeWithHolm([input(1), input(8)]);
    expect(rows.map((r) => r.judgement)).toEqual([{ kind: "no_clear_effect", reason: "includes_zero" }, { kind: "higher" }]);
  });
});
