import { describe, expect, it } from "vitest";
import { addMonths, dayFromIsoDate, isoDateFromDay, parseIsoDate, isoDaysAgo } from "./days";

describe("days", () => {
  it("numbers days from 1970-01-01 UTC", () => {
    expect(dayFromIsoDate("1970-01-01")).toBe(0);
    expect(dayFromIsoDate("1970-01-02")).toBe(1);
    // Checked with Python: date(1970, 1, 1) + timedelta(days=20414) == date(2025, 11, 22).
    expect(isoDateFromDay(20414)).toBe("2025-11-22");
  });
  it("writes every day as the calendar (Date) does: 1600 to 2400, leap days and century years included, and the ends of years 0 to 9999", () => {
    expect(isoDateFromDay(-1)).toBe("1969-12-31");
    expect(isoDateFromDay(dayFromIsoDate("2000-02-29"))).toBe("2000-02-29");
    expect(isoDateFromDay(dayFromIsoDate("2100-03-01") - 1)).toBe("2100-02-28");
    const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    const spans: [number, number][] = [
      [dayOf("1600-01-01"), dayOf("2400-12-31")],
      [dayOf("0000-01-01") - 2, dayOf("0001-12-31")],
      [dayOf("9998-01-01"), dayOf("9999-12-31") + 2],
    ];
    const differing: number[] = [];
    for (const [from, to] of spans) {
      for (let day = from; day <= to; day++) {
        if (isoDateFromDay(day) !== new Date(day * 86_400_000).toISOString().slice(0, 10)) differing.push(day);
      }
    }
    expect(differing).toEqual([]);
  });
  it("rejects dates that do not exist or are not YYYY-MM-DD", () => {
    expect(parseIsoDate("2025-02-29")).toBeNull();
    expect(parseIsoDate("2024-02-29")).not.toBeNull();
    expect(parseIsoDate("2025-13-01")).toBeNull();
    expect(parseIsoDate("25-01-01")).toBeNull();
    expect(parseIsoDate("2025-01-01T00:00:00Z")).toBeNull();
  });
  it("adds months, clamping to the end of shorter months", () => {
    expect(isoDateFromDay(addMonths(dayFromIsoDate("2025-01-31"), 1))).toBe("2025-02-28");
    expect(isoDateFromDay(addMonths(dayFromIsoDate("2024-01-31"), 1))).toBe("2024-02-29");
    expect(isoDateFromDay(addMonths(dayFromIsoDate("2024-02-29"), 12))).toBe("2025-02-28");
    expect(isoDateFromDay(addMonths(dayFromIsoDate("2025-11-15"), 14))).toBe("2027-01-15");
  });
});

describe("isoDaysAgo", () => {
  it("counts whole UTC days back from the day of the given moment", () => {
    const justAfterNewYear = Date.UTC(2026, 0, 1, 0, 30);
    expect(isoDaysAgo(0, justAfterNewYear)).toBe("2026-01-01");
    expect(isoDaysAgo(1, justAfterNewYear)).toBe("2025-12-31");
    expect(isoDaysAgo(366, Date.UTC(2024, 11, 31, 23, 59))).toBe("2023-12-31");
  });
});
