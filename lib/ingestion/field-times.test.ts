import { describe, expect, it } from "vitest";
import { newerFields, orderingTime, parseFieldTimes, serializeFieldTimes } from "./field-times";

describe("newerFields", () => {
  it("applies every field to an account no message has set", () => {
    expect(newerFields({ plan: "Pro", region: null, tags: ["a"] }, 1000, {})).toEqual({
      patch: { plan: "Pro", region: null, tags: ["a"] },
      times: { plan: 1000, region: 1000, tags: 1000 },
      applies: true,
    });
  });

  it("keeps each field a newer message set, and applies the others", () => {
    // The old message (t = 100) sets plan and region; a newer one (t = 200) set only plan.
    expect(newerFields({ plan: "Starter", region: "EMEA" }, 100, { plan: 200 })).toEqual({
      patch: { region: "EMEA" },
      times: { plan: 200, region: 100 },
      applies: true,
    });
  });

  it("applies nothing when every field it names is newer", () => {
    const times = { plan: 300, arr: 300, industry: 50 };
    expect(newerFields({ plan: "Free", arr: 0 }, 299, times)).toEqual({ patch: {}, times, applies: false });
  });

  it("lets the later arrival win a tie", () => {
    expect(newerFields({ plan: "B" }, 200, { plan: 200 })).toMatchObject({ patch: { plan: "B" }, applies: true });
  });
});

describe("stored field times", () => {
  it("round-trip through their JSON form", () => {
    const times = { plan: 1_767_225_600_000, tags: 1_767_225_600_001 };
    expect(parseFieldTimes(serializeFieldTimes(times))).toEqual(times);
  });

  it("read nothing, unreadable text and unknown names as never set", () => {
    expect(parseFieldTimes(null)).toEqual({});
    expect(parseFieldTimes("not json")).toEqual({});
    expect(parseFieldTimes('["plan"]')).toEqual({});
    expect(parseFieldTimes('{"plan": "soon"}')).toEqual({});
    expect(parseFieldTimes('{"plan": 5, "colour": 7}')).toEqual({ plan: 5 });
  });
});

describe("orderingTime", () => {
  it("is the message's time, but never later than its arrival", () => {
    expect(orderingTime(1000, 5000)).toBe(1000);
    expect(orderingTime(9000, 5000)).toBe(5000);
  });
});
