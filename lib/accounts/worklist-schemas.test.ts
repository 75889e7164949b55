import { describe, expect, it } from "vitest";
import { dayFromIsoDate } from "../days";
import { contactInputSchema, noteInputSchema, snoozeDateProblem, snoozeInputSchema } from "./worklist-schemas";

describe("contact input", () => {
  it("takes an outcome, trims the note and defaults it to empty", () => {
    expect(contactInputSchema.parse({ outcome: "voicemail" })).toEqual({ outcome: "voicemail", note: "" });
    expect(contactInputSchema.parse({ outcome: "reached", note: "  Renewal on track " })).toMatchObject({ note: "Renewal on track" });
  });
  it("names what is wrong", () => {
    const bad = contactInputSchema.safeParse({ outcome: "smoke signal" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["outcome"]);
    expect(contactInputSchema.safeParse({ outcome: "reached", contactedAt: "yesterday" }).error?.issues[0]?.path).toEqual(["contactedAt"]);
    expect(contactInputSchema.safeParse({ outcome: "reached", note: "x".repeat(2001) }).error?.issues[0]?.path).toEqual(["note"]);
  });
});

describe("note input", () => {
  it("needs some text", () => {
    expect(noteInputSchema.safeParse({ body: "   " }).success).toBe(false);
    expect(noteInputSchema.parse({ body: " Call back in May " })).toEqual({ body: "Call back in May" });
  });
});

describe("snooze date", () => {
  const today = dayFromIsoDate("2026-03-01");
  it("must be a real date after today and within a year", () => {
    expect(snoozeInputSchema.safeParse({ until: "2026-02-30" }).success).toBe(false);
    expect(snoozeDateProblem("2026-03-01", today)).toBe("must be after today");
    expect(snoozeDateProblem("2026-03-02", today)).toBeNull();
    expect(snoozeDateProblem("2027-03-01", today)).toBeNull(); // 365 days
    expect(snoozeDateProblem("2027-03-02", today)).toBe("must be within 365 days");
  });
});

describe("text from the worklist forms", () => {
  it("is stored without control characters, escape sequences or bidi overrides, keeping line breaks in notes", () => {
    expect(noteInputSchema.parse({ body: "Called\u0000 back\r\n\u001b[31mred\u001b[0m \u202Eyes" })).toEqual({ body: "Called back\nred yes" });
    expect(contactInputSchema.parse({ outcome: "reached", note: "ok\u0007\n\u2066fine\u2069" })).toMatchObject({ note: "ok\nfine" });
  });
});
