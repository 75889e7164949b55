import { describe, expect, it } from "vitest";
import { changesWithin, comparisonPeriods, comparisonSpan, dayRuns, placeboBand, quietPlaceboDates } from "./placebo";

describe("comparisonSpan and changesWithin", () => {
  it("covers the window before, the window from the change and the cohorts' follow-up", () => {
    expect(comparisonSpan(150, 10, 0)).toEqual({ from: 140, to: 159 });
    expect(comparisonSpan(150, 10, 5)).toEqual({ from: 140, to: 164 });
    const changes = [
      { day: 139, label: "too early" },
      { day: 140, label: "first day" },
      { day: 164, label: "last follow-up day" },
      { day: 165, label: "too late" },
    ];
    expect(changesWithin(changes, comparisonSpan(150, 10, 5)).map((c) => c.label)).toEqual(["first day", "last follow-up day"]);
  });
});

describe("quietPlaceboDates", () => {
  // History: days 100…199. Window 10: a date p needs p − 10 ≥ 100 and p + 9 ≤ 199, so 110…190.
  it("keeps every date whose whole span lies in the history and holds no change", () => {
    // The change on day 150 lies in the span [p − 10, p + 9] of p = 141…160: 20 dates out of 81.
    const dates = quietPlaceboDates({ firstDay: 100, lastDay: 199, window: 10, followUp: 0, changeDays: [150] });
    expect(dates).toHaveLength(81 - 20);
    expect(dates[0]).toBe(110);
    expect(dates).toContain(140);
    expect(dates).not.toContain(141);
    expect(dates).not.toContain(160);
    expect(dates).toContain(161);
    expect(dates.at(-1)).toBe(190);
  });

  it("follows cohorts to their age: the span and the last date move by the follow-up", () => {
    // Follow-up 5: p + 14 ≤ 199 → p ≤ 185; day 150 lies in [p − 10, p + 14] for p = 136…160.
    const dates = quietPlaceboDates({ firstDay: 100, lastDay: 199, window: 10, followUp: 5, changeDays: [150] });
    expect(dates).toHaveLength(76 - 25);
    expect(dates).toContain(135);
    expect(dates).not.toContain(136);
    expect(dates.at(-1)).toBe(185);
  });

  it("leaves out every known change, and has nothing to offer in too short a history", () => {
    // 120 rules out p = 111…130, 150 rules out 141…160, 180 rules out 171…190.
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(quietPlaceboDates({ firstDay: 100, lastDay: 199, window: 10, followUp: 0, changeDays: [150, 120, 180] })).toEqual([
      110,
      ...range(131, 140),
      ...range(161, 170),
    ]);
    expect(quietPlaceboDates({ firstDay: 100, lastDay: 199, window: 60, followUp: 0, changeDays: [] })).toEqual([]);
  });
});

describe("dayRuns", () => {
  it("groups consecutive days", () => {
    expect(dayRuns([3, 4, 5, 9, 11, 12])).toEqual([
      { from: 3, to: 5 },
      { from: 9, to: 9 },
      { from: 11, to: 12 },
    ]);
    expect(dayRuns([])).toEqual([]);
  });
});

describe("placeboBand", () => {
  it("is the central 95 % of the differences (linear interpolation), counting dates before and after the change", () => {
    // 41 differences 1…41 (shuffled), one date without a figure (NaN) left out.
    const differences = Array.from({ length: 41 }, (_, i) => ((i * 17) % 41) + 1);
    const dates = differences.map((_, i) => (i < 30 ? 100 + i : 300 + i));
    const band = placeboBand([...dates, 500], [...differences, Number.NaN], 200, 10);
    // Positions (n − 1)·p: 40 · 0.025 = 1 → the 2nd smallest (2); 40 · 0.975 = 39 → the 40th (40).
    expect(band).toMatchObject({ count: 41, earlier: 30, later: 11, lower: 2, upper: 40, median: 21 });
    // SD of 1…41: √(41 · 42 / 12) = 11.958. Dates 100…129 and 330…340, taken 10 days apart: 100, 110, 120, 330, 340.
    expect(band?.sd).toBeCloseTo(Math.sqrt((41 * 42) / 12), 10);
    expect(band?.independent).toBe(5);
    expect(Array.from(band?.differences ?? [])).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  });

  it("interpolates between differences, and is null without any", () => {
    // 21 values 0, 10, …, 200: position 20 · 0.025 = 0.5 → 5; 20 · 0.975 = 19.5 → 195.
    const band = placeboBand(Array.from({ length: 21 }, (_, i) => i), Array.from({ length: 21 }, (_, i) => i * 10), 0, 30);
    expect(band?.lower).toBeCloseTo(5, 12);
    expect(band?.upper).toBeCloseTo(195, 12);
    expect(band?.later).toBe(21);
    expect(band?.independent).toBe(1);
    expect(placeboBand([1, 2], [Number.NaN, Number.NaN], 0, 10)).toBeNull();
  });
});

describe("comparisonPeriods", () => {
  const history = { from: 100, to: 199 };
  it("takes the window days before the change and the window days from it", () => {
    expect(comparisonPeriods(150, 30, history)).toEqual({ before: { from: 120, to: 149 }, after: { from: 150, to: 179 } });
  });
  it("clips both periods to the scored history, at both ends", () => {
    expect(comparisonPeriods(110, 30, history)).toEqual({ before: { from: 100, to: 109 }, after: { from: 110, to: 139 } });
    expect(comparisonPeriods(190, 30, history)).toEqual({ before: { from: 160, to: 189 }, after: { from: 190, to: 199 } });
  });
  it("has no period on a side without scores: a change in the future, or before the history", () => {
    expect(comparisonPeriods(210, 30, history)).toEqual({ before: { from: 180, to: 199 }, after: null });
    expect(comparisonPeriods(250, 30, history)).toEqual({ before: null, after: null });
    expect(comparisonPeriods(90, 30, history)).toEqual({ before: null, after: { from: 100, to: 119 } });
    expect(comparisonPeriods(100, 30, history)).toEqual({ before: null, after: { from: 100, to: 129 } });
  });
});
