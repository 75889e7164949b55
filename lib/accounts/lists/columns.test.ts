import { describe, expect, it } from "vitest";
import { dateColumn, listColumns, showsColumn, sortKeysFor } from "./columns";

describe("list columns", () => {
  it("shows the renewal on the tier lists, the trial end on trials (without ARR), the first day on onboarding", () => {
    expect(listColumns("medium", true).map((c) => c.key)).toEqual(["name", "score", "band", "change", "renewal", "arr", "manager", "lastContact"]);
    expect(listColumns("trials", true).map((c) => c.key)).toEqual(["name", "score", "band", "change", "trialEnd", "manager", "lastContact"]);
    expect(listColumns("onboarding", false).map((c) => c.key)).toEqual(["name", "score", "band", "change", "since", "arr", "lastContact"]);
    expect(dateColumn("upsell").label).toBe("Renewal");
    expect(showsColumn("trials", true, "arr")).toBe(false);
  });

  it("sorts by the shown columns that sort: not the band, not the first day, not a manager column that is not shown", () => {
    expect(sortKeysFor("high", true)).toEqual(["name", "score", "change", "renewal", "arr", "manager", "lastContact"]);
    expect(sortKeysFor("trials", false)).toEqual(["name", "score", "change", "trialEnd", "lastContact"]);
    expect(sortKeysFor("onboarding", true)).toEqual(["name", "score", "change", "arr", "manager", "lastContact"]);
  });
});
