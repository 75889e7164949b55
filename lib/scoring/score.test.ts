import { describe, expect, it } from "vitest";
import { dayFromIsoDate, dayFromMs } from "../days";
import { toHundredths } from "./points";
import { contributions, scoreWindow, type DailyCount, type WeightTable } from "./score";
import { dailyScoreSeries, scoreInWindow } from "../../test/reference/score-definition";

// Event types of the worked example: 1 = session started (1.5), 2 = colleague invited (10),
// 3 = mobile app uninstalled (−15), 4 = link clicked (0).
const weights: WeightTable = new Map([
  [1, toHundredths(1.5)],
  [2, toHundredths(10)],
  [3, toHundredths(-15)],
  [4, 0],
]);

describe("scoreWindow", () => {
  it("covers windowDays days ending on and including the end day", () => {
    expect(scoreWindow(100, 30)).toEqual({ startDay: 71, endDay: 100 });
    expect(scoreWindow(100, 1)).toEqual({ startDay: 100, endDay: 100 });
  });
  it("rejects a window that is not a positive whole number of days", () => {
    expect(() => scoreWindow(100, 0)).toThrow(RangeError);
    expect(() => scoreWindow(100, 2.5)).toThrow(RangeError);
  });
});

describe("the worked example", () => {
  // Within days 71–100: 12 sessions, 2 invitations, 1 uninstall, 40 link clicks.
  // CES = 1.5 × 12 + 10 × 2 + (−15) × 1 + 0 × 40 = 18 + 20 − 15 + 0 = 23 points.
  const counts: DailyCount[] = [
    { day: 71, typeId: 1, count: 5 },
    { day: 85, typeId: 1, count: 7 },
    { day: 90, typeId: 2, count: 2 },
    { day: 100, typeId: 3, count: 1 },
    { day: 95, typeId: 4, count: 40 },
  ];
  const window = scoreWindow(100, 30);

  it("sums weight × count", () => {
    expect(scoreInWindow(counts, weights, window)).toBe(2300);
  });

  it("explains the score with contributions that add up to it exactly", () => {
    const parts = contributions(counts, weights, window);
    expect(parts).toEqual([
      { typeId: 2, count: 2, weightHundredths: 1000, pointsHundredths: 2000 },
      { typeId: 1, count: 12, weightHundredths: 150, pointsHundredths: 1800 },
      { typeId: 3, count: 1, weightHundredths: -1500, pointsHundredths: -1500 },
      { typeId: 4, count: 40, weightHundredths: 0, pointsHundredths: 0 },
    ]);
    expect(parts.reduce((s, p) => s + p.pointsHundredths, 0)).toBe(2300);
  });

  it("adds up exactly with weights that are not exact in binary floating point", () => {
    // 0.1 + 0.2 ≠ 0.3 in floating point; in hundredths 10 × 3 + 20 × 3 = 90 exactly.
    const w: WeightTable = new Map([
      [1, toHundredths(0.1)],
      [2, toHundredths(0.2)],
    ]);
    const c = [
      { day: 100, typeId: 1, count: 3 },
      { day: 100, typeId: 2, count: 3 },
    ];
    expect(scoreInWindow(c, w, window)).toBe(90);
    expect(contributions(c, w, window).reduce((s, p) => s + p.pointsHundredths, 0)).toBe(90);
  });
});

describe("window edges", () => {
  const window = scoreWindow(100, 30);
  it("counts the first and the last day of the window and nothing outside", () => {
    const c = [
      { day: 70, typeId: 2, count: 1 }, // the day before the window
      { day: 71, typeId: 2, count: 1 }, // first day
      { day: 100, typeId: 2, count: 1 }, // last day
      { day: 101, typeId: 2, count: 1 }, // the day after
    ];
    expect(scoreInWindow(c, weights, window)).toBe(2000);
  });

  it("scores an empty window as 0", () => {
    expect(scoreInWindow([], weights, window)).toBe(0);
    expect(scoreInWindow([{ day: 10, typeId: 1, count: 99 }], weights, window)).toBe(0);
    expect(contributions([], weights, window)).toEqual([]);
  });

  it("lets negative weights take a score below zero", () => {
    const c = [
      { day: 80, typeId: 3, count: 2 },
      { day: 80, typeId: 1, count: 4 },
    ];
    // −15 × 2 + 1.5 × 4 = −30 + 6 = −24
    expect(scoreInWindow(c, weights, window)).toBe(-2400);
  });

  it("weighs an unknown type as 0", () => {
    expect(scoreInWindow([{ day: 100, typeId: 99, count: 5 }], weights, window)).toBe(0);
  });
});

describe("days are UTC days", () => {
  it("puts the last millisecond of a UTC day in that day and midnight UTC in the next", () => {
    const end = dayFromIsoDate("2026-03-29");
    expect(dayFromMs(Date.parse("2026-03-29T23:59:59.999Z"))).toBe(end);
    expect(dayFromMs(Date.parse("2026-03-30T00:00:00.000Z"))).toBe(end + 1);
  });

  it("places an event by its UTC instant, not the sender's local date", () => {
    // 01:30 on 30 March in UTC+2 is 23:30 on 29 March UTC: it counts on the 29th.
    expect(dayFromMs(Date.parse("2026-03-30T01:30:00+02:00"))).toBe(dayFromIsoDate("2026-03-29"));
    // 20:00 on 29 March in UTC−5 is 01:00 on 30 March UTC: it counts on the 30th.
    expect(dayFromMs(Date.parse("2026-03-29T20:00:00-05:00"))).toBe(dayFromIsoDate("2026-03-30"));
  });
});

describe("dailyScoreSeries", () => {
  it("equals scoring each day's own window from scratch", () => {
    const c: DailyCount[] = [];
    for (let day = 40; day <= 120; day += 3) c.push({ day, typeId: (day % 3) + 1, count: (day % 5) + 1 });
    const series = dailyScoreSeries(c, weights, 60, 120, 30);
    expect(series.length).toBe(61);
    for (let day = 60; day <= 120; day++) {
      expect(series[day - 60]).toBe(scoreInWindow(c, weights, scoreWindow(day, 30)));
    }
  });

  it("is empty when the range is empty", () => {
    expect(dailyScoreSeries([], weights, 10, 9, 30).length).toBe(0);
  });
});
