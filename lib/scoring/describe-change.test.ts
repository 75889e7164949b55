import { describe, expect, it } from "vitest";
import { describeChange } from "./describe-change";

describe("describeChange", () => {
  const labels = { report_created: "Report created" };

  it("writes weights to the hundredth, as typed", () => {
    expect(describeChange({ kind: "weight", key: "report_created", from: 250, to: 252 }, labels)).toBe("Report created: weight 2.5 → 2.52");
    expect(describeChange({ kind: "weight", key: "report_created", from: -1505, to: 0 }, labels)).toBe("Report created: weight \u221215.05 → 0");
    expect(describeChange({ kind: "type_added", key: "new_thing", weightHundredths: 1, active: true }, labels)).toBe("new_thing: added with weight 0.01");
  });

  it("names settings and activation", () => {
    expect(describeChange({ kind: "setting", field: "highFrom", from: 80, to: 85 }, labels)).toBe("High band from: 80 → 85");
    expect(describeChange({ kind: "active", key: "report_created", from: true, to: false }, labels)).toBe("Report created: deactivated");
  });
});
