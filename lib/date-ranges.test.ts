import { describe, expect, it } from "vitest";
import { contactTimeProblem, DATE_RANGES, EARLIEST_DAY, eventTimeProblem, isoDateRangeProblem } from "./date-ranges";
import { dayFromIsoDate, MS_PER_DAY } from "./days";

const today = dayFromIsoDate("2026-06-15");
const now = Date.UTC(2026, 5, 15, 12);

describe("date ranges", () => {
  it("start at 2000-01-01 for every kind", () => {
    expect(EARLIEST_DAY).toBe(dayFromIsoDate("2000-01-01"));
    expect(isoDateRangeProblem("1999-12-31", DATE_RANGES.signup, today)).toBe("must be on or after 2000-01-01");
    expect(isoDateRangeProblem("1970-01-01", DATE_RANGES.renewal, today)).toBe("must be on or after 2000-01-01");
    expect(isoDateRangeProblem("2000-01-01", DATE_RANGES.signup, today)).toBeNull();
  });

  it("end a documented distance ahead of today", () => {
    expect(isoDateRangeProblem("9999-12-31", DATE_RANGES.marker, today)).toBe("must be on or before 2027-06-16");
    expect(isoDateRangeProblem("2027-06-16", DATE_RANGES.marker, today)).toBeNull();
    expect(isoDateRangeProblem("2036-06-01", DATE_RANGES.renewal, today)).toBeNull();
    expect(isoDateRangeProblem("2037-01-01", DATE_RANGES.renewal, today)).toMatch(/^must be on or before 2036-/);
  });

  it("keep events between 2000-01-01 and a day after they were received", () => {
    expect(eventTimeProblem(Date.UTC(1970, 0, 1), now)).toBe("must be on or after 2000-01-01");
    expect(eventTimeProblem(now + MS_PER_DAY, now)).toBeNull();
    expect(eventTimeProblem(now + MS_PER_DAY + 1, now)).toBe("must not be more than a day in the future");
  });

  it("keep logged contacts between 2000-01-01 and now (minutes of clock skew allowed)", () => {
    expect(contactTimeProblem(Date.parse("0000-01-01T00:00:00Z"), now)).toBe("must be on or after 2000-01-01");
    expect(contactTimeProblem(now + 60_000, now)).toBeNull();
    expect(contactTimeProblem(now + 3_600_000, now)).toBe("must not be in the future");
  });
});
