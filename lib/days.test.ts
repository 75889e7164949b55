import { describe, expect, it } from "vitest";
import { addMonths, dayFromIsoDate, isoDateFromDay, parseIsoDate } from "./days";

describe("days", () => {
  it("numbers days from 1970-01-01 UTC", () => {
    expect(dayFromIsoDate("1970-01-01")).toBe(0);
    expect(dayFromIsoDate("1970-01-02")).toBe(1);
    // Checked with Python: date(1970, 1, 1) + timedelta(days=20414) == date(2025, 11, 22).
    expect(isoDateFromDay(20414)).toBe("2025-11-22");
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
