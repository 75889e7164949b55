import { describe, expect, it } from "vitest";
import { bandChange } from "./band-change";

describe("bandChange", () => {
  it("reads a drop as the product brief writes it", () => {
    expect(bandChange("medium", "low")).toEqual({ direction: "down", label: "medium → low" });
    expect(bandChange("power", "high")).toEqual({ direction: "down", label: "power user → high" });
    expect(bandChange("low", "churn_risk")).toEqual({ direction: "down", label: "low → churn risk" });
  });
  it("tells a rise from a drop", () => {
    expect(bandChange("low", "high")).toEqual({ direction: "up", label: "low → high" });
  });
  it("says nothing when the band held", () => {
    expect(bandChange("medium", "medium")).toEqual({ direction: "same", label: "" });
  });
});
