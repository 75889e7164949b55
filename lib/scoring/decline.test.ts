import { describe, expect, it } from "vitest";
import { isDeclining } from "./decline";

// Default rule: fell by at least 20 % AND at least 10 points. Values in hundredths.
describe("isDeclining", () => {
  it("flags a fall of exactly 20 % and exactly 10 points", () => {
    expect(isDeclining(4000, 5000)).toBe(true); // 50 → 40: −10 points, −20 %
  });
  it("needs both conditions", () => {
    expect(isDeclining(4001, 5000)).toBe(false); // −9.99 points
    expect(isDeclining(8100, 10000)).toBe(false); // −19 points but −19 %
    expect(isDeclining(500, 1400)).toBe(false); // −64 % but only −9 points
  });
  it("never flags a rise or a flat score", () => {
    expect(isDeclining(5000, 5000)).toBe(false);
    expect(isDeclining(6000, 5000)).toBe(false);
  });
  it("uses the points rule alone from a score at or below zero", () => {
    expect(isDeclining(-1000, 0)).toBe(true);
    expect(isDeclining(-2500, -1000)).toBe(true);
    expect(isDeclining(-1500, -1000)).toBe(false);
  });
  it("honours a custom rule", () => {
    expect(isDeclining(9000, 10000, { declinePercent: 10, declinePoints: 5 })).toBe(true);
    expect(isDeclining(9000, 10000, { declinePercent: 11, declinePoints: 5 })).toBe(false);
  });
});
