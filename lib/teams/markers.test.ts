import { describe, expect, it } from "vitest";
import { isoDateFromDay, todayDay } from "../days";
import { markerInputSchema } from "./markers";

describe("change marker input", () => {
  it("takes dates from 2000-01-01 to a year ahead, refusing placeholders such as 9999-12-31", () => {
    const inAYear = isoDateFromDay(todayDay() + 300);
    expect(markerInputSchema.safeParse({ date: inAYear, title: "Pricing change" }).success).toBe(true);
    expect(markerInputSchema.safeParse({ date: "2000-01-01", title: "Launch" }).success).toBe(true);
    for (const date of ["9999-12-31", "1999-12-31"]) {
      const parsed = markerInputSchema.safeParse({ date, title: "Bad" });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({ path: ["date"], message: expect.stringMatching(/^must be on or (after 2000-01-01|before \d{4}-\d{2}-\d{2})$/) });
    }
  });

  it("cleans the title and description of control characters and overrides", () => {
    expect(markerInputSchema.parse({ date: "2026-01-05", title: "Docs\u0000 \u001b[1moverhaul\u001b[0m", description: "line\n\u202Etwo" })).toEqual({
      date: "2026-01-05",
      title: "Docs overhaul",
      description: "line\ntwo",
    });
  });
});
