import { describe, expect, it } from "vitest";
import { scoreMovement } from "./movement";
import { contributions, scoreWindow, type DailyCount, type WeightTable } from "./score";
import { scoreInWindow } from "../../test/reference/score-definition";

// 1 = session started (1.5), 2 = colleague invited (10), 3 = mobile app uninstalled (−15).
const weights: WeightTable = new Map([
  [1, 150],
  [2, 1000],
  [3, -1500],
]);

describe("scoreMovement (why it moved)", () => {
  // Previous window (days 41–70): 40 sessions, 2 invitations        = 60 + 20       = 80 points.
  // Current window  (days 71–100): 4 sessions, 1 uninstall           = 6 − 15        = −9 points.
  // Change: sessions 6 − 60 = −54, invitations 0 − 20 = −20, uninstalls −15 − 0 = −15; total −89.
  const counts: DailyCount[] = [
    { day: 45, typeId: 1, count: 40 },
    { day: 50, typeId: 2, count: 2 },
    { day: 80, typeId: 1, count: 4 },
    { day: 99, typeId: 3, count: 1 },
  ];
  const current = contributions(counts, weights, scoreWindow(100, 30));
  const previous = contributions(counts, weights, scoreWindow(70, 30));
  const moves = scoreMovement(current, previous);

  it("splits the change by event type, largest first", () => {
    expect(moves).toEqual([
      { typeId: 1, weightHundredths: 150, previousCount: 40, currentCount: 4, previousHundredths: 6000, currentHundredths: 600, deltaHundredths: -5400 },
      { typeId: 2, weightHundredths: 1000, previousCount: 2, currentCount: 0, previousHundredths: 2000, currentHundredths: 0, deltaHundredths: -2000 },
      { typeId: 3, weightHundredths: -1500, previousCount: 0, currentCount: 1, previousHundredths: 0, currentHundredths: -1500, deltaHundredths: -1500 },
    ]);
  });

  it("adds up exactly to current − previous score", () => {
    const total = moves.reduce((s, m) => s + m.deltaHundredths, 0);
    const expected = scoreInWindow(counts, weights, scoreWindow(100, 30)) - scoreInWindow(counts, weights, scoreWindow(70, 30));
    expect(total).toBe(-8900);
    expect(total).toBe(expected);
  });

  it("keeps a type that did not move, with a delta of zero, after the movers", () => {
    const same = [{ typeId: 1, count: 10, weightHundredths: 150, pointsHundredths: 1500 }];
    const rise = [{ typeId: 2, count: 1, weightHundredths: 1000, pointsHundredths: 1000 }];
    expect(scoreMovement([...same, ...rise], same).map((m) => [m.typeId, m.deltaHundredths])).toEqual([
      [2, 1000],
      [1, 0],
    ]);
  });

  it("puts a fall before a rise of the same size", () => {
    const up = { typeId: 1, count: 2, weightHundredths: 500, pointsHundredths: 1000 };
    const down = { typeId: 2, count: 1, weightHundredths: 1000, pointsHundredths: 1000 };
    expect(scoreMovement([up], [down]).map((m) => m.deltaHundredths)).toEqual([-1000, 1000]);
  });

  it("is empty when neither window has events", () => {
    expect(scoreMovement([], [])).toEqual([]);
  });
});
