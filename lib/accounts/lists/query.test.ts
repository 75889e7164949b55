import { describe, expect, it } from "vitest";
import { activeFilterCount, callListFilterSearch, resolveManager, countScope, everyoneListHref, callListSearch, filterQuery, parseCallListQuery, readCallListQuery, switchList, type CallListQuery } from "./query";
import { renewalWindow } from "./membership";
import { resolvePageParams } from "./resolve";
import { dayFromIsoDate } from "@/lib/days";

function parse(search: string, mode: "strict" | "lenient" = "strict"): CallListQuery {
  const result = parseCallListQuery(new URLSearchParams(search), mode);
  if (!result.ok) throw new Error(result.message);
  return result.query;
}

describe("parseCallListQuery", () => {
  it("opens the 40–80 list on renewals due soon, for my accounts, page 1", () => {
    expect(parse("")).toEqual({
      list: "medium",
      band: null,
      renewalsOnly: true,
      manager: null,
      plan: null,
      region: null,
      industry: null,
      stage: null,
      q: "",
      showSnoozed: false,
      sort: null,
      dir: "asc",
      page: 1,
      pageSize: 25,
    });
  });
  it("reads every filter, the sort and the page", () => {
    const q = parse("list=low&manager=Ben%20Okafor&plan=Growth&region=Europe&industry=Retail&stage=customer&q=%20north%20&snoozed=1&sort=arr&page=3&size=50");
    expect(q).toMatchObject({
      list: "low",
      manager: "Ben Okafor",
      plan: "Growth",
      region: "Europe",
      industry: "Retail",
      stage: "customer",
      q: "north",
      showSnoozed: true,
      sort: "arr",
      dir: "desc", // ARR sorts largest first unless told otherwise
      page: 3,
      pageSize: 50,
    });
  });
  it("opens a band's tier from the overview's links, showing the whole band", () => {
    expect(parse("band=churn_risk")).toMatchObject({ list: "low", band: "churn_risk" });
    expect(parse("band=power")).toMatchObject({ list: "high", band: "power" });
    expect(parse("band=medium")).toMatchObject({ list: "medium", band: "medium", renewalsOnly: false });
  });
  it("shows the whole 40–80 tier on request", () => {
    expect(parse("scope=all").renewalsOnly).toBe(false);
    expect(parse("list=low&scope=renewals").renewalsOnly).toBe(false);
  });
  it("names the field at fault in strict mode", () => {
    expect(parseCallListQuery(new URLSearchParams("list=everything"), "strict")).toMatchObject({ ok: false, field: "list" });
    expect(parseCallListQuery(new URLSearchParams("size=30"), "strict")).toMatchObject({ ok: false, field: "size" });
    expect(parseCallListQuery(new URLSearchParams("page=0"), "strict")).toMatchObject({ ok: false, field: "page" });
    expect(parseCallListQuery(new URLSearchParams("list=high&band=low"), "strict")).toMatchObject({ ok: false, field: "band" });
  });
  it("falls back to defaults for bad values in lenient mode", () => {
    expect(parse("list=everything&page=-2&sort=colour&band=nope", "lenient")).toMatchObject({ list: "medium", page: 1, sort: null, band: null });
    expect(parse("list=high&band=low", "lenient")).toMatchObject({ list: "high", band: null });
  });
  it("accepts repeated parameters by their first value (Next's searchParams)", () => {
    const result = parseCallListQuery({ list: ["trials", "low"], q: undefined }, "strict");
    expect(result).toMatchObject({ ok: true, query: { list: "trials" } });
  });
});

describe("callListSearch", () => {
  it("writes nothing for the default state", () => {
    expect(callListSearch(parse(""))).toBe("");
  });
  it("round-trips every state through the URL, leaving defaults out", () => {
    for (const search of [
      "?list=low&manager=Ben+Okafor&q=north&sort=arr&page=3",
      "?scope=all&plan=Growth&snoozed=1&sort=score&dir=asc&size=100",
      "?band=churn_risk",
      "?band=medium&scope=renewals",
      "?list=upsell&band=power&stage=customer",
    ]) {
      expect(callListSearch(parse(search.slice(1)))).toBe(search);
    }
  });
});

describe("resolving for the server", () => {
  it("makes 'my accounts' the signed-in user's book, or everyone's without a book", () => {
    expect(resolveManager(null, "Ben Okafor")).toBe("Ben Okafor");
    expect(resolveManager(null, null)).toBeNull();
    expect(resolveManager("all", "Ben Okafor")).toBeNull();
    expect(resolveManager("Grace Liu", "Ben Okafor")).toBe("Grace Liu");
  });
  it("turns a page number into an offset", () => {
    const p = resolvePageParams(parse("page=3&size=50"), { userBook: null, today: 100 });
    expect(p).toMatchObject({ limit: 50, offset: 100, today: 100, renewalsOnly: true });
  });
  it("takes the renewal window as today and the next 90 days, inclusive", () => {
    expect(renewalWindow(dayFromIsoDate("2026-01-01"))).toEqual({ from: "2026-01-01", to: "2026-04-01" });
  });
  it("counts the filters that narrow the list", () => {
    expect(activeFilterCount(parse(""))).toBe(0);
    expect(activeFilterCount(parse("manager=Ben%20Bell&plan=Growth&q=x"))).toBe(3);
    expect(activeFilterCount(parse("band=power"))).toBe(1);
  });
  it("does not count 'all managers' as a filter: it widens the list, and Clear filters would narrow it", () => {
    expect(activeFilterCount(parse("manager=all"))).toBe(0);
    expect(activeFilterCount(parse("manager=all&plan=Growth&q=x"))).toBe(2);
  });
});

describe("callListFilterSearch", () => {
  it("writes only the shared filters", () => {
    expect(callListFilterSearch(filterQuery(parse("list=low&manager=all&q=north&sort=arr&page=3&snoozed=1")))).toBe("?manager=all&q=north&snoozed=1");
    expect(callListFilterSearch(filterQuery(parse("list=trials")))).toBe("");
  });
});

describe("switchList", () => {
  it("keeps the filters and takes the new list's recommended order from page 1", () => {
    const from = parse("list=low&band=churn_risk&manager=Ann&sort=arr&page=4");
    expect(callListSearch(switchList(from, "medium"))).toBe("?manager=Ann");
    expect(callListSearch(switchList(from, "trials"))).toBe("?list=trials&manager=Ann");
    expect(switchList(from, "medium").renewalsOnly).toBe(true);
  });
  it("reads any URL into a state", () => {
    expect(readCallListQuery(new URLSearchParams("list=bogus")).list).toBe("medium");
  });
});

describe("countScope", () => {
  it("says when the counts cover a manager's own book", () => {
    expect(countScope(filterQuery(parse("")), "Ann Ames")).toBe("my accounts (Ann Ames), snoozed left out");
    expect(countScope(filterQuery(parse("")), null)).toBe("all accounts, snoozed left out");
    expect(countScope(filterQuery(parse("manager=all&snoozed=1")), "Ann Ames")).toBe("all accounts, snoozed included");
    expect(countScope(filterQuery(parse("manager=Ben%20Bell&plan=Growth&q=x")), "Ann Ames")).toBe("Ben Bell’s accounts, 2 filters, snoozed left out");
  });
});

describe("everyoneListHref", () => {
  it("links an overview figure to the list that counts the same accounts: everyone's, snoozed included", () => {
    expect(everyoneListHref("high", "power")).toBe("/accounts?band=power&manager=all&snoozed=1");
    expect(everyoneListHref("medium", "medium")).toBe("/accounts?band=medium&manager=all&snoozed=1");
    expect(everyoneListHref("drops")).toBe("/accounts?list=drops&manager=all&snoozed=1");
    expect(readCallListQuery(new URLSearchParams("band=medium&manager=all&snoozed=1"))).toMatchObject({ list: "medium", band: "medium", renewalsOnly: false, manager: "all", showSnoozed: true });
  });
});
