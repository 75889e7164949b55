import { describe, expect, it } from "vitest";
import { compareParamsSchema, decodeSegmentList, encodeSegmentList, parsePageParams, parseParams, segmentsParamsSchema, toQueryString, trendsParamsSchema, viewDefaults } from "./params";

describe("team view params", () => {
  it("round-trips segment keys holding commas and percent signs", () => {
    const keys = ["Starter", "Acme, Inc.", "100% remote"];
    expect(decodeSegmentList(encodeSegmentList(keys))).toEqual(keys);
  });
  it("applies defaults and rejects bad values with the parameter's name (APIs)", () => {
    expect(parseParams(trendsParamsSchema, new URLSearchParams("")).data).toEqual({ range: 365, metric: "mean" });
    const bad = parseParams(trendsParamsSchema, new URLSearchParams("range=45"));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["range"]);
    expect(bad.error?.issues[0]?.message).toBe("range must be one of 30, 90, 180, 365");
    expect(parseParams(segmentsParamsSchema, new URLSearchParams("dimension=colour")).success).toBe(false);
  });
  it("drops only the invalid parameters on pages", () => {
    expect(parsePageParams(compareParamsSchema, { window: "7", dimension: "region", marker: "3" })).toEqual({
      window: 90,
      dimension: "region",
      marker: 3,
      horizon: 30,
    });
  });
  it("takes each view's defaults from its schema", () => {
    expect(viewDefaults(segmentsParamsSchema)).toEqual({ dimension: "plan", order: "desc" });
    expect(viewDefaults(trendsParamsSchema)).toEqual({ range: 365, metric: "mean" });
    expect(viewDefaults(compareParamsSchema)).toEqual({ window: 90, dimension: "plan", horizon: 30 });
    expect(toQueryString({ window: 90, dimension: "plan", horizon: 60 }, viewDefaults(compareParamsSchema))).toBe("?horizon=60");
  });
  it("writes short query strings without defaults", () => {
    expect(toQueryString({ range: 365, dimension: "plan", segments: ["A", "B"] }, { range: 365 })).toBe("?dimension=plan&segments=A%2CB");
    expect(toQueryString({ range: 365 }, { range: 365 })).toBe("");
  });
});
