import { describe, expect, it } from "vitest";
import { dayFromIsoDate } from "../days";
import { eventCountsByMonth, monthColumns, monthsBetween } from "./event-months";

const d = dayFromIsoDate;

describe("monthsBetween", () => {
  it("lists every calendar month touched, across a year end", () => {
    expect(monthsBetween(d("2025-11-30"), d("2026-02-01"))).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });
  it("gives one month for a range inside it and none for an empty range", () => {
    expect(monthsBetween(d("2026-03-02"), d("2026-03-29"))).toEqual(["2026-03"]);
    expect(monthsBetween(d("2026-03-02"), d("2026-03-01"))).toEqual([]);
  });
});

describe("eventCountsByMonth", () => {
  it("sums each type's daily counts into its calendar month", () => {
    const rows = [
      { day: d("2026-01-31"), typeId: 1, count: 3 },
      { day: d("2026-02-01"), typeId: 1, count: 2 },
      { day: d("2026-02-28"), typeId: 1, count: 5 },
      { day: d("2026-02-10"), typeId: 7, count: 1 },
      { day: d("2025-12-31"), typeId: 1, count: 99 }, // before the range
      { day: d("2026-03-02"), typeId: 7, count: 99 }, // after the range
    ];
    const result = eventCountsByMonth(rows, d("2026-01-15"), d("2026-03-01"));
    expect(result.months).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(result.countsByType.get(1)).toEqual([3, 7, 0]);
    expect(result.countsByType.get(7)).toEqual([0, 1, 0]);
    expect(result.countsByType.size).toBe(2);
  });
});

describe("monthColumns", () => {
  it("never shows two columns of the same name: a year from 8 Dec to 7 Dec labels both Decembers with their year", () => {
    const columns = monthColumns(d("2025-12-08"), d("2026-12-07"));
    expect(columns.map((c) => c.label)).toEqual(["Dec ’25", "Jan ’26", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec ’26"]);
    expect(new Set(columns.map((c) => c.label)).size).toBe(columns.length);
  });
  it("says how much of a partial month the range covers", () => {
    const columns = monthColumns(d("2025-12-08"), d("2026-12-07"));
    expect(columns[0]).toMatchObject({ month: "2025-12", days: 24, daysInMonth: 31 });
    expect(columns[1]).toMatchObject({ days: 31, daysInMonth: 31 });
    expect(columns[2]).toMatchObject({ month: "2026-02", days: 28, daysInMonth: 28 });
    expect(columns.at(-1)).toMatchObject({ month: "2026-12", days: 7, daysInMonth: 31 });
  });
  it("labels a range inside one year with the first month's year only", () => {
    expect(monthColumns(d("2026-03-01"), d("2026-05-31")).map((c) => c.label)).toEqual(["Mar ’26", "Apr", "May"]);
  });
});
