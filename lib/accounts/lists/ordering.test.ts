import { describe, expect, it } from "vitest";
import { orderingFor, RECOMMENDED_ORDER } from "./ordering";

describe("the recommended order of each list", () => {
  it("80–100: highest score first", () => {
    expect(orderingFor("high", null)).toEqual([
      { key: "score", dir: "desc" },
      { key: "id", dir: "asc" },
    ]);
  });
  it("40–80: renewals within the window first, then by renewal date", () => {
    expect(orderingFor("medium", null)).toEqual([
      { key: "renewalSoonFirst", dir: "desc" },
      { key: "renewal", dir: "asc" },
      { key: "id", dir: "asc" },
    ]);
  });
  it("40–80 limited to the renewal window: simply by renewal date", () => {
    expect(orderingFor("medium", null, { renewalsOnly: true })).toEqual([
      { key: "renewal", dir: "asc" },
      { key: "id", dir: "asc" },
    ]);
  });
  it("1–40: lowest score first, which puts churn risk (the bottom of the score range) first", () => {
    expect(orderingFor("low", null)).toEqual([
      { key: "score", dir: "asc" },
      { key: "id", dir: "asc" },
    ]);
  });
  it("score drops: largest drop first", () => {
    expect(orderingFor("drops", null)[0]).toEqual({ key: "drop", dir: "desc" });
  });
  it("trials: by score (likelihood to convert), then the trial ending soonest", () => {
    expect(orderingFor("trials", null).slice(0, 2)).toEqual([
      { key: "score", dir: "desc" },
      { key: "trialEnd", dir: "asc" },
    ]);
  });
  it("upsell: by score, then ARR", () => {
    expect(orderingFor("upsell", null).slice(0, 2)).toEqual([
      { key: "score", dir: "desc" },
      { key: "arr", dir: "desc" },
    ]);
  });
});

describe("a column the user sorts by", () => {
  it("replaces the recommended order and keeps the id tie-break", () => {
    expect(orderingFor("medium", { key: "arr", dir: "desc" })).toEqual([
      { key: "arr", dir: "desc" },
      { key: "id", dir: "asc" },
    ]);
  });
  it("never leaves an ordering without the tie-break that keeps pages stable", () => {
    for (const list of Object.keys(RECOMMENDED_ORDER) as (keyof typeof RECOMMENDED_ORDER)[]) {
      expect(orderingFor(list, null).at(-1)).toEqual({ key: "id", dir: "asc" });
    }
  });
});
