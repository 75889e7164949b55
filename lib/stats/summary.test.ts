import { describe, expect, it } from "vitest";
import { mean, median } from "./summary";

describe("mean and median", () => {
  it("computes them by hand-checked examples", () => {
    expect(mean([1, 2, 3, 10])).toBe(4);
    expect(median([10, 1, 3, 2])).toBe(2.5);
    expect(median([5, -1, 3])).toBe(3);
  });
  it("returns null for no values", () => {
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
  });
});
